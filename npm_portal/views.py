import contextlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.replica import REPLICA, replica_configured
from core.roles import is_partner_only
from npm_portal import work
from npm_portal.authority_portal import access as authority_access
from npm_portal.authority_portal.models import Escalation, Submission
from recommendations import cache as figures_cache
from visits.models import Authority, Place
from visits.services import visit_stats

logger = logging.getLogger(__name__)
# Seconds the broker check may take in all; the cache and the S3 client have their own short
# timeouts (settings).
BROKER_TIMEOUT = 3
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """Health check for load balancers, no login: "ok" or "error" for each backend this
    deployment uses (the database always; the replica, a shared cache, the Celery broker and
    remote media storage when configured), 503 when any fails. Names only: never an address,
    a URL or an error message."""
    checks = {"database": lambda: _database_ok(DEFAULT_DB_ALIAS)}
    if replica_configured():
        checks["replica"] = lambda: _database_ok(REPLICA)
    if settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES:
        checks["cache"] = _cache_ok
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_ok
    if not isinstance(default_storage, FileSystemStorage):
        checks["storage"] = _storage_ok
    results = {name: "ok" if _passes(name, check) else "error" for name, check in checks.items()}
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
    )


def _passes(name: str, check) -> bool:
    try:
        return check()
    except Exception as error:  # whatever a backend raises, it failed
        # The type only: messages of database and broker errors can carry addresses.
        logger.warning("Health check %s failed: %s", name, type(error).__name__)
        return False


def _database_ok(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def _broker_ok() -> bool:
    from kombu import Connection

    options = {"socket_timeout": BROKER_TIMEOUT, "socket_connect_timeout": BROKER_TIMEOUT}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT, transport_options=options
    ) as connection:
        connection.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )
    return True


def _storage_ok() -> bool:
    # One cheap request (S3: a listing of a folder that is never used). An empty answer shows
    # the store is reachable, the bucket exists and the credentials are accepted (asking
    # whether one file exists would not: S3 says "no" for a missing bucket too).
    with contextlib.suppress(FileNotFoundError):
        default_storage.listdir("healthz")
    return True


def _registry_figures() -> dict:
    by_category = dict(
        Place.objects.values_list("category").annotate(n=Count("pk", filter=Q(active=True)))
    )
    return {
        "categories": [
            (value, str(label), by_category.get(value, 0))
            for value, label in Place.Category.choices
        ],
        "place_totals": Place.objects.aggregate(
            total=Count("pk"),
            active_count=Count("pk", filter=Q(active=True)),
            active_capacity=Sum("capacity", filter=Q(active=True)),
        ),
        "authority_totals": Authority.objects.aggregate(
            total=Count("pk"),
            ministries=Count("pk", filter=Q(parent__isnull=True)),
        ),
        "districts": Place.objects.active().values("district").distinct().count(),
    }


def _visit_figures(user) -> dict:
    stats = visit_stats(user)
    stats["by_status"] = [(value, str(label), n) for value, label, n in stats["by_status"]]
    return stats


def dashboard(request: HttpRequest) -> HttpResponse:
    """ "My work" (`npm_portal.work`: what waits for this user, by role), then the registry and
    visit figures. Counting every visit grows with the years, so the figures of
    those who see every visit are kept with the compliance figures (`recommendations.cache`:
    every write to a visit, place or authority replaces them); a partner's own visits are few
    and counted each time."""
    user, today = request.user, timezone.localdate()
    sees_all = not is_partner_only(user) and (
        user.is_superuser or user.has_perm("visits.view_visit")
    )
    queues = work.my_work(user)
    work.remember_count(user, queues)
    figures = figures_cache.cached("home", (today.isoformat(),), _registry_figures)
    if sees_all:
        stats = figures_cache.cached(
            "home-visits", (today.isoformat(),), lambda: _visit_figures(user)
        )
    else:
        stats = visit_stats(user)
    return render(
        request,
        "npm_portal/dashboard.html",
        {
            **figures,
            "work_queues": queues,
            "visit_stats": stats,
            "authority_portal": _authority_portal_panel(user),
        },
    )


def _authority_portal_panel(user) -> dict[str, int]:
    """What the authority portal asks of this NPM user: escalations still open, submissions to
    review (only the figures the user may open)."""
    panel = {}
    if authority_access.can_view_escalations(user):
        panel["escalated"] = (
            Escalation.objects.filter(recommendation__responded_on__isnull=True)
            .values("recommendation")
            .distinct()
            .count()
        )
    if authority_access.can_review_submissions(user):
        panel["awaiting_review"] = Submission.objects.awaiting_review().count()
    return panel
