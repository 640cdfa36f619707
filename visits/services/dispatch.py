"""Dispatches: the issued report sent to its addressee authorities."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import signals
from ..access import can_dispatch_reports, deny_unless
from ..models import Authority, Dispatch, Report
from .reports import lock_report


def suggested_addressees(report: Report) -> list[Authority]:
    """The place's authority and its ancestors (e.g. the ministry), nearest first."""
    chain, authority, seen = [], report.visit.place.authority, set()
    while authority is not None and authority.pk not in seen:
        chain.append(authority)
        seen.add(authority.pk)
        authority = authority.parent
    return chain


@transaction.atomic
def dispatch_record(
    *,
    report: Report,
    authority: Authority,
    sent_on: dt.date,
    reference: str,
    channel: str,
    full_version_shared: bool = False,
    by,
) -> Dispatch:
    deny_unless(by is None or can_dispatch_reports(by))
    report = lock_report(report)
    if not report.is_issued:
        raise ValidationError(_("Only an issued report can be dispatched."))
    if report.dispatches.filter(authority=authority).exists():
        raise ValidationError(
            {"authority": _("The report was already sent to %(name)s.") % {"name": authority}}
        )
    if report.issued_on and sent_on < report.issued_on:
        raise ValidationError(
            {
                "sent_on": _("The report was issued on %(date)s: it cannot be sent before.")
                % {"date": report.issued_on.isoformat()}
            }
        )
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    if channel not in Dispatch.Channel.values:
        raise ValidationError({"channel": _("Choose how the report was sent.")})
    dispatch = Dispatch(
        report=report,
        authority=authority,
        sent_on=sent_on,
        reference=reference.strip(),
        channel=channel,
        full_version_shared=bool(full_version_shared),
        recorded_by=by,
    )
    dispatch._history_user = by
    dispatch.save()
    signals.report_dispatched.send(sender=Dispatch, dispatch=dispatch)
    return dispatch


@transaction.atomic
def dispatch_share_set(*, dispatch: Dispatch, shared: bool, by) -> Dispatch:
    """Share the full issued report with the users of this addressee in the authority portal,
    or stop sharing it (they then read the public version only). Kept in the dispatch's
    history."""
    deny_unless(by is not None and can_dispatch_reports(by))
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.full_version_shared == shared:
        return dispatch
    dispatch.full_version_shared = shared
    dispatch._history_user = by
    dispatch.save(update_fields=["full_version_shared"])
    return dispatch
