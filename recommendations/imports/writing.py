"""Writing a checked plan: everything in bulk (with history rows, as the services leave), in the
caller's transaction, each created row linked to the batch.

What is created is what the services would have left for the same history: a closed visit
(it happened), its report issued on the date in the file and marked `imported` (no PDF),
one dispatch per addressee, the recommendations with their dispatch date and deadline (from the
file, or the legal term from the first dispatch: `services.due_date_for`), one letter per
authority, date and reference with an item per recommendation it answers, and an assessment
giving any status beyond "awaiting response" / "response received" (based on the letter, or on
"other evidence" when verified on site or no letter is given). The denormalised fields of each
recommendation (status, reason, verified, status since, first response) are those
`recommendation_refresh_status` derives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from visits.models import (
    Authority,
    AuthorityKind,
    Dispatch,
    DispatchChannel,
    Place,
    Report,
    ReportStatus,
    Visit,
    VisitStatus,
)

from ..models import (
    Assessment,
    AuthorityResponse,
    Basis,
    ImportBatch,
    ImportedObject,
    Recommendation,
    ResponseItem,
    Status,
)
from ..services.due_dates import due_date_for
from .structures import ASSESSED, NewName, Plan, VisitPlan, letter_key
from .values import fold

BATCH = 1000
# A visit given by dates only: 09:00 to 17:00 local time (never a night visit).
DAY_START, DAY_END = dt.time(9, 0), dt.time(17, 0)


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _times(group: VisitPlan) -> tuple[dt.datetime, dt.datetime]:
    (start_day, start_time), (end_day, end_time) = group.start, group.end
    start = _aware(start_day, start_time or DAY_START)
    end = _aware(end_day, end_time or DAY_END)
    if end <= start:
        end = start + dt.timedelta(hours=1)
    return start, end


class Writer:
    def __init__(self, plan: Plan, batch: ImportBatch, by):
        self.plan = plan
        self.batch = batch
        self.by = by
        self.created: dict[type, list[int]] = defaultdict(list)
        self.authorities: dict[str, Authority] = {}
        self.places: dict[str, Place] = {}

    def _bulk(self, model, objects: list, *, history: bool = True) -> list:
        if not objects:
            return objects
        if history:
            objects = bulk_create_with_history(
                objects, model, batch_size=BATCH, default_user=self.by
            )
        else:
            objects = model.objects.bulk_create(objects, batch_size=BATCH)
        self.created[model] += [obj.pk for obj in objects]
        return objects

    def authority(self, value) -> Authority:
        if isinstance(value, NewName):
            return self.authorities[value.key]
        return value

    def write(self) -> dict[str, int]:
        self._registry()
        visits = self._visits()
        reports = self._reports(visits)
        self._dispatches(reports)
        recommendations = self._recommendations(visits)
        self._letters(visits, recommendations)
        self._link()
        return {model._meta.model_name: len(pks) for model, pks in self.created.items()}

    def _registry(self) -> None:
        new = [
            Authority(name=a.name, kind=AuthorityKind.OTHER)
            for a in self.plan.new_authorities.values()
        ]
        for authority in self._bulk(Authority, new):
            self.authorities[fold(authority.name)] = authority
        places = []
        for new_place in self.plan.new_places.values():
            places.append(
                Place(
                    name=new_place.name,
                    category=new_place.category,
                    authority=self.authority(new_place.authority),
                    municipality=new_place.district,
                    district=new_place.district,
                )
            )
        for place in self._bulk(Place, places):
            self.places[fold(place.name)] = place

    def _visits(self) -> list[Visit]:
        groups = self.plan.visits
        years = {_times(g)[0].astimezone(timezone.get_default_timezone()).year for g in groups}
        # Locked like `visit_create` locks a year's numbers (PostgreSQL refuses FOR UPDATE with
        # an aggregate, so the maximum is taken here).
        taken = set(
            Visit.objects.select_for_update().filter(year__in=years).values_list("year", "number")
        )
        last: dict[int, int] = {}
        for year, number in taken:
            last[year] = max(last.get(year, 0), number)
        used: set[tuple[int, int]] = set()
        planned: list[tuple[VisitPlan, int, int | None]] = []
        for group in groups:
            year = timezone.localtime(_times(group)[0]).year
            hint = group.number_hint
            if hint and hint[0] == year and hint not in taken and hint not in used:
                used.add(hint)
                planned.append((group, year, hint[1]))
            else:
                planned.append((group, year, None))
        # Numbers not kept from the file follow the highest of the year (kept ones included).
        for year, number in used:
            last[year] = max(last.get(year) or 0, number)
        visits = []
        for group, year, number in planned:
            if number is None:
                last[year] = number = (last.get(year) or 0) + 1
            start, end = _times(group)
            place = (
                self.places[group.place.key] if isinstance(group.place, NewName) else group.place
            )
            visit = Visit(
                place=place,
                year=year,
                number=number,
                kind=group.kind,
                planned_start=start,
                planned_end=end,
                actual_start=start,
                actual_end=end,
                status=VisitStatus.CLOSED,
                created_by=self.by,
            )
            visit.night = visit.compute_night()
            visits.append(visit)
        return self._bulk(Visit, visits)

    def _reports(self, visits: list[Visit]) -> list[Report]:
        reports = []
        now = timezone.now()
        with translation.override("en"):
            for group, visit in zip(self.plan.visits, visits, strict=True):
                issued_at = min(_aware(group.issued_on, dt.time(12, 0)), now)
                reports.append(
                    Report(
                        visit=visit,
                        reference=group.report_reference,
                        title=_("Report on the visit to %(place)s") % {"place": visit.place.name},
                        status=ReportStatus.ISSUED,
                        created_by=self.by,
                        issued_by=self.by,
                        issued_on=group.issued_on,
                        issued_at=issued_at,
                        imported=True,
                    )
                )
        return self._bulk(Report, reports)

    def _dispatches(self, reports: list[Report]) -> None:
        self.sent: dict[tuple[int, int], dt.date] = {}
        for group, report in zip(self.plan.visits, reports, strict=True):
            for row in group.rows:
                if not row.dispatched_on:
                    continue
                for value in row.addressees:
                    key = (report.visit_id, self.authority(value).pk)
                    # The latest date of the rows naming the authority: a recommendation's
                    # date is that of the FIRST dispatch to any of its addressees, so the
                    # report reached each addressee no earlier than any of its rows says.
                    if key not in self.sent or row.dispatched_on > self.sent[key]:
                        self.sent[key] = row.dispatched_on
        report_for = {report.visit_id: report.pk for report in reports}
        dispatches = [
            Dispatch(
                report_id=report_for[visit_id],
                authority_id=authority_id,
                sent_on=sent_on,
                channel=DispatchChannel.POST,
                recorded_by=self.by,
            )
            for (visit_id, authority_id), sent_on in self.sent.items()
        ]
        self._bulk(Dispatch, dispatches)

    def _recommendations(self, visits: list[Visit]) -> dict[tuple, Recommendation]:
        objects, addressees = [], []
        for group, visit in zip(self.plan.visits, visits, strict=True):
            for row in group.rows:
                authority_ids = [self.authority(a).pk for a in row.addressees]
                dispatched_on = row.dispatched_on
                due_date = row.due_date or (
                    due_date_for(sent_on=dispatched_on, priority=row.priority)
                    if dispatched_on
                    else None
                )
                if row.status in ASSESSED:
                    status, reason, verified = row.status, row.reason, row.verified_on_site
                    since = _assessed_on(group, row)
                elif row.responded_on:
                    status, reason, verified, since = (
                        Status.RESPONSE_RECEIVED,
                        "",
                        False,
                        row.responded_on,
                    )
                else:
                    status, reason, verified, since = (
                        Status.AWAITING_RESPONSE,
                        "",
                        False,
                        dispatched_on,
                    )
                recommendation = Recommendation(
                    visit=visit,
                    number=row.number,
                    text=row.text,
                    theme=row.theme,
                    priority=row.priority,
                    public=row.public,
                    dispatched_on=dispatched_on,
                    due_date=due_date,
                    responded_on=row.responded_on,
                    status=status,
                    reason=reason,
                    verified_on_site=verified,
                    status_changed_on=since,
                    created_by=self.by,
                )
                objects.append(recommendation)
                addressees.append(authority_ids)
        objects = self._bulk(Recommendation, objects)
        through = Recommendation.addressees.through
        through.objects.bulk_create(
            [
                through(recommendation_id=rec.pk, authority_id=authority_id)
                for rec, ids in zip(objects, addressees, strict=True)
                for authority_id in ids
            ],
            batch_size=BATCH,
        )
        by_row = {}
        index = 0
        for group in self.plan.visits:
            for row in group.rows:
                by_row[row.row] = objects[index]
                index += 1
        return by_row

    def _letters(self, visits: list[Visit], recommendations: dict) -> None:
        letters: dict[tuple, AuthorityResponse] = {}
        items: list[tuple[tuple, object, object]] = []
        for group, visit in zip(self.plan.visits, visits, strict=True):
            for row in group.rows:
                if not row.responded_on:
                    continue
                key = letter_key(group, row)
                if key not in letters:
                    letters[key] = AuthorityResponse(
                        visit=visit,
                        authority=self.authority(row.addressees[0]),
                        received_on=row.responded_on,
                        reference=row.response_reference,
                        recorded_by=self.by,
                    )
                items.append((key, row, recommendations[row.row]))
        keys = list(letters)
        saved = self._bulk(AuthorityResponse, [letters[k] for k in keys])
        letters = dict(zip(keys, saved, strict=True))
        self._bulk(
            ResponseItem,
            [
                ResponseItem(
                    response=letters[key], recommendation=rec, stated_status=row.stated_status
                )
                for key, row, rec in items
            ],
        )
        assessments = []
        for group in self.plan.visits:
            for row in group.rows:
                if row.status not in ASSESSED:
                    continue
                response = None
                basis = Basis.OTHER
                if row.responded_on and not row.verified_on_site:
                    basis, response = Basis.RESPONSE, letters[letter_key(group, row)]
                assessments.append(
                    Assessment(
                        recommendation=recommendations[row.row],
                        status=row.status,
                        reason=row.reason,
                        basis=basis,
                        response=response,
                        verified_on_site=row.verified_on_site,
                        assessed_on=_assessed_on(group, row),
                        assessed_by=self.by,
                    )
                )
        self._bulk(Assessment, assessments, history=False)

    def _link(self) -> None:
        links = []
        for model, pks in self.created.items():
            content_type = ContentType.objects.get_for_model(model)
            links += [
                ImportedObject(batch=self.batch, content_type=content_type, object_id=pk)
                for pk in pks
            ]
        ImportedObject.objects.bulk_create(links, batch_size=5000)


def _assessed_on(group: VisitPlan, row) -> dt.date:
    return row.status_since or row.responded_on or row.dispatched_on or group.issued_on


def plan_write(*, plan: Plan, batch: ImportBatch, by) -> dict[str, int]:
    """Write `plan` (checked, without errors) for `batch`; the counts of rows created by model."""
    return Writer(plan, batch, by).write()
