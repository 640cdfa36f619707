from django.core.management.base import BaseCommand, CommandError

from npm_portal.dataset import USERNAMES, DatabaseNotEmpty, generate


class Command(BaseCommand):
    help = (
        "Fill a freshly migrated, empty database with a realistic, reproducible dataset for "
        "benchmarks: at scale 1, 20,000 visits and 200,000 recommendations over ten years."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            required=True,
            help="Multiplies every count (1 = 20,000 visits; 0.001 for a quick test).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args, scale: float, seed: int, quiet: bool, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        try:
            counts = generate(scale, seed, stdout=None if quiet else self.stdout)
        except DatabaseNotEmpty as error:
            raise CommandError(str(error)) from error
        if not quiet:
            self.stdout.write(
                f"Dataset at scale {scale:g} (seed {seed}): {sum(counts.values()):,} rows. "
                f"Logins (unusable passwords, use force_login): {', '.join(USERNAMES)}, "
                "dataset-staff-001…, dataset-partner-0001…"
            )
