"""Benchmarks: `make bench`. Timings of the busiest pages on a throwaway database with a large
registry. Numbers are printed, never asserted (the test suite checks behaviour, not speed)."""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npm_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PLACES = int(os.environ.get("BENCH_PLACES", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
# A comma-separated subset of the benchmarks ("pages", "pdf", "import"); all by default.
ONLY = {part for part in os.environ.get("BENCH_ONLY", "").split(",") if part}


def populate() -> None:
    from core.roles import Role
    from tests.factories import UserFactory
    from visits.models import Authority, Place

    ministries = [
        Authority.objects.create(name=f"Ministry {i}", kind=Authority.Kind.MINISTRY)
        for i in range(5)
    ]
    directorates = [
        Authority.objects.create(
            name=f"Directorate {i}", kind=Authority.Kind.DIRECTORATE, parent=ministries[i % 5]
        )
        for i in range(50)
    ]
    categories = Place.Category.values
    Place.objects.bulk_create(
        Place(
            name=f"Place {i}",
            category=categories[i % len(categories)],
            authority=directorates[i % 50],
            municipality=f"Municipality {i % 150}",
            district=f"District {i % 30}",
            capacity=i % 700,
            active=i % 10 != 0,
        )
        for i in range(PLACES)
    )
    UserFactory(username="bench", roles=[Role.STAFF])


def timed(client: Client, url: str) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), max(samples)


def bench_pages() -> None:
    populate()
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bench"))
    print(f"{PLACES} places, {RUNS} runs each, {connection.vendor}")
    print(f"{'page':<45} {'median ms':>10} {'max ms':>10}")
    for url in (
        "/",
        "/places/",
        "/places/?category=prison&active=true",
        "/places/?q=Municipality+12",
        "/places/?page=100",
        "/authorities/",
    ):
        median, worst = timed(client, url)
        print(f"{url:<45} {median:>10.1f} {worst:>10.1f}")


def main() -> None:
    setup_test_environment()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    # Plain HTTP and a password-only login: time the pages, not the security steps.
    settings.SECURE_SSL_REDIRECT = False
    settings.NPM_REQUIRE_2FA = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        if not ONLY or "pages" in ONLY:
            bench_pages()
        if not ONLY or "pdf" in ONLY:
            from bench import pdf

            print()
            pdf.run()
        if not ONLY or "import" in ONLY:
            from bench import imports

            print()
            imports.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
