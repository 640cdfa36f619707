"""The import service: `records_import` (a dry run, or the all-or-nothing write with its
`ImportBatch`), and who may import (`can_import`). Pages, the command and the benchmark all call
it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from core.roles import is_partner_only

from .. import access
from ..models import ImportBatch
from .plan import make_plan
from .reading import UnreadableFile, read
from .structures import Error, Plan
from .writing import plan_write


def can_import(user) -> bool:
    """Head and staff: they write visits and recommendations (compliance officers do not)."""
    return (
        user is not None
        and not is_partner_only(user)
        and user.has_perm(access.ADD_RECOMMENDATION)
        and user.has_perm("visits.add_visit")
    )


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    plan: Plan
    dry_run: bool
    batch: ImportBatch | None = None
    created: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def errors(self) -> list[Error]:
        return self.plan.errors


def file_kind(name: str, data: bytes) -> str:
    """ "xlsx" for a zip (an XLSX), else "csv"."""
    return "xlsx" if data[:4] == b"PK\x03\x04" else "csv"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def records_import(
    *,
    data: bytes,
    file_name: str,
    create_places: bool = False,
    dry_run: bool = False,
    expected_sha256: str = "",
    by=None,
) -> ImportResult:
    """Check the file and, unless `dry_run` or any row has an error, write it all (one
    transaction: one bad row, nothing written). A dry run writes nothing at all.

    `expected_sha256`: the file the user confirmed after the dry run (the page); refused when
    the bytes differ."""
    access.require_that(by is None or can_import(by))
    digest = sha256_of(data)
    if expected_sha256 and digest != expected_sha256:
        raise ValidationError(_msg_changed())
    try:
        sheet = read(data, kind=file_kind(file_name, data))
    except UnreadableFile as error:
        plan = Plan(errors=[Error(None, "", str(error))])
        return ImportResult(file_name, digest, plan, dry_run)
    plan = make_plan(sheet, create_places=create_places)
    result = ImportResult(file_name, digest, plan, dry_run)
    if dry_run or not plan.ok:
        return result
    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        sha256=digest,
        rows=plan.rows,
        summary=plan.summary(),
        created_places=create_places,
        imported_by=by,
    )
    result.created = plan_write(plan=plan, batch=batch, by=by)
    result.batch = batch
    return result


def _msg_changed() -> str:
    from django.utils.translation import gettext as _

    return _("The file is not the one checked in the dry run: upload it again.")
