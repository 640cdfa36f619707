"""The access log's one writer and its verifier: who saw, downloaded, revealed or was refused
which confidential record. Views, services and the access-log middleware (npm_portal.security)
all call `record`; `verify_access_log` walks the hash chain; `purge_access_log` is retention's
one way to delete old entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.defaults import page_not_found, permission_denied

from .models import AccessAction, AccessLog, Visit
from .models.access_log import GENESIS_HASH, entry_hash

# Any fixed number: the advisory lock that puts the log's writers in a row (PostgreSQL).
CHAIN_LOCK = 0x4E504D_A11
_IP_FIELD = models.GenericIPAddressField()


def record(
    *,
    user,
    action: str,
    object_type: str,
    object_id: str,
    visit: Visit | None = None,
    ip: str | None = None,
) -> AccessLog:
    """Append one entry, chained to the one before it (the log is append-only)."""
    if user is not None and not user.is_authenticated:
        user = None
    entry = AccessLog(
        user=user,
        action=action,
        object_type=str(object_type)[:50],
        object_id=str(object_id)[:50],
        visit=visit,
        # Hash what the database will hand back: the address in its normal form.
        ip=_IP_FIELD.get_prep_value(ip or None),
    )
    # No savepoint of its own: a failure to log fails the request's transaction, as it should.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Held until the outer transaction ends, so the next writer reads this entry as
            # its predecessor. (SQLite lets one writer in at a time anyway.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AccessLog.objects.order_by("-pk").values_list("row_hash", flat=True).first()
        # Stamped inside the lock: time order is chain order, so a date range is a whole piece.
        entry.created_at = timezone.now()
        entry.prev_hash = last or GENESIS_HASH
        entry.row_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def client_ip(request: HttpRequest) -> str | None:
    # ClientIPMiddleware has already put the client's own address here.
    return request.META.get("REMOTE_ADDR") or None


def log_access(request: HttpRequest, action: str, obj, visit: Visit | None) -> AccessLog:
    """`request.user` did `action` on the row `obj`."""
    return record(
        user=request.user,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        visit=visit,
        ip=client_ip(request),
    )


def denied(
    request: HttpRequest,
    object_type: str,
    object_id: str,
    visit: Visit | None,
    *,
    not_found: bool = False,
) -> HttpResponse:
    """A logged 403 (or 404, where a 403 would tell which records exist). Returned, not raised:
    a raised exception would roll back the log entry (requests are atomic)."""
    record(
        user=request.user,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        visit=visit,
        ip=client_ip(request),
    )
    if not_found:
        return page_not_found(request, Http404())
    return permission_denied(request, PermissionDenied())


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_id: int | None
    starts_after_deleted: bool  # the first entry kept follows entries deleted by retention
    broken_at: int | None = None
    reason: str = ""
    last_hash: str = ""  # the chain's head: note it outside the system to anchor the chain

    @property
    def ok(self) -> bool:
        return self.broken_at is None


CHAIN_FIELDS = (
    "id",
    "created_at",
    "user_id",
    "action",
    "object_type",
    "object_id",
    "visit_id",
    "ip",
    "prev_hash",
    "row_hash",
)


def verify_chain(entries: Iterable[Mapping], purges: set[str] | None = None) -> ChainReport:
    """Walk entries in chain order (mappings with CHAIN_FIELDS) and name the first broken link:
    an entry whose content no longer matches its hash (changed), or whose previous-hash is not
    the hash of the entry before it (one removed or put in between). With `purges` (the hash
    prefixes retention recorded), a log that does not start at the beginning must start right
    after a recorded purge; without, any start is accepted (an export of a date range)."""
    checked = 0
    first_id = None
    starts_after_deleted = False
    previous = None
    for entry in entries:
        if first_id is None:
            first_id = int(entry["id"])
            starts_after_deleted = entry["prev_hash"] != GENESIS_HASH
            if (
                starts_after_deleted
                and purges is not None
                and entry["prev_hash"][:50] not in purges
            ):
                return ChainReport(
                    0,
                    first_id,
                    starts_after_deleted,
                    first_id,
                    "the entries before it are missing and no retention purge recorded them",
                )
        elif entry["prev_hash"] != previous:
            return ChainReport(
                checked,
                first_id,
                starts_after_deleted,
                int(entry["id"]),
                "its previous-entry hash does not match the entry before it "
                "(an entry was removed or inserted)",
            )
        recomputed = entry_hash(
            prev_hash=entry["prev_hash"],
            created_at=entry["created_at"],
            user_id=entry["user_id"],
            action=entry["action"],
            object_type=entry["object_type"],
            object_id=entry["object_id"],
            visit_id=entry["visit_id"],
            ip=entry["ip"],
        )
        if recomputed != entry["row_hash"]:
            return ChainReport(
                checked,
                first_id,
                starts_after_deleted,
                int(entry["id"]),
                "its content does not match its hash (the entry was changed)",
            )
        previous = entry["row_hash"]
        checked += 1
    return ChainReport(checked, first_id, starts_after_deleted, last_hash=previous or "")


def verify_access_log() -> ChainReport:
    rows = AccessLog.objects.chain_order().values(*CHAIN_FIELDS).iterator(chunk_size=5000)
    purges = set(
        AccessLog.objects.filter(action=AccessAction.RETENTION).values_list("object_id", flat=True)
    )
    return verify_chain(rows, purges)


def purge_access_log(*, before, by_command: str = "apply_retention") -> int:
    """The one way entries leave the log: the oldest, before `before`, by the retention command.
    The purge is itself an entry, naming the last entry deleted and (the first 50 characters of)
    its hash, which the first entry kept points to: so a verifier can tell a purge from entries
    cut off the start of the log."""
    with transaction.atomic():
        deleted, last_old = AccessLog.objects.purge_before(before)
        if deleted:
            record(
                user=None,
                action=AccessAction.RETENTION,
                object_type=f"{by_command} up to #{last_old.pk}",
                object_id=last_old.row_hash[:50],
            )
    return deleted
