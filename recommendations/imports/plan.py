"""Every row checked and grouped, before anything is written: rows of the same report reference
make one visit and its issued report; a letter is one (report, authority, date, reference); a
dispatch is one (report, addressee). Every error is kept with its row and column (never only the
first), and every name that matched nothing is listed once with the rows it appears in."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from visits.models import Authority, Place, PlaceCategory, Report, VisitKind

from ..models import REASON_STATUSES, STATED_STATUSES, Priority, Reason, Status
from .matching import Registry
from .reading import Sheet, header_name
from .structures import (
    ASSESSED,
    Error,
    NewName,
    NewPlace,
    Plan,
    RowPlan,
    VisitPlan,
    authority_key,
)
from .values import BadValue, Choices, clean_text, fold, parse_bool, parse_date, parse_moment

VISIT_NUMBER = re.compile(r"^V-(\d{4})-(\d{1,6})$")


class _Vocabularies:
    def __init__(self):
        self.kind = Choices(VisitKind.choices)
        self.category = Choices(PlaceCategory.choices)
        self.priority = Choices(Priority.choices)
        self.status = Choices(Status.choices)
        self.reason = Choices(Reason.choices)
        self.stated = Choices([(s.value, s.label) for s in STATED_STATUSES])


class Planner:
    def __init__(self, sheet: Sheet, *, create_places: bool):
        self.sheet = sheet
        self.create = create_places
        self.plan = Plan(rows=len(sheet.rows), ignored_columns=list(sheet.ignored))
        self.plan.errors += [Error(None, "", message) for message in sheet.errors]
        self.registry = Registry()
        self.vocab = _Vocabularies()
        self.today = timezone.localdate()
        self.groups: dict[str, VisitPlan] = {}
        self.numbers: dict[tuple[str, int], int] = {}

    # --- helpers -----------------------------------------------------------------------------

    def error(self, row: int, key: str, message: str) -> None:
        self.plan.errors.append(Error(row, header_name(self.sheet, key), message))

    def unmatched(self, kind: str, name: str, row: int) -> None:
        names = self.plan.unmatched.setdefault(kind, {})
        for written in names:
            if fold(written) == fold(name):
                if row not in names[written]:
                    names[written].append(row)
                return
        names[name] = [row]

    def read(self, row: int, values: dict, key: str, parse):
        try:
            return parse(values.get(key))
        except BadValue as error:
            self.error(row, key, str(error))
            return BadValue

    def date(self, row: int, values: dict, key: str, *, after=None, after_label: str = ""):
        value = self.read(row, values, key, parse_date)
        if value is BadValue or value is None:
            return value
        if value > self.today:
            self.error(row, key, _("%(date)s is in the future") % {"date": value.isoformat()})
        elif after is not None and value < after:
            self.error(
                row,
                key,
                _("%(date)s is before %(what)s (%(other)s)")
                % {"date": value.isoformat(), "what": after_label, "other": after.isoformat()},
            )
        return value

    def authority(self, row: int, key: str, name: str):
        found, ambiguous = self.registry.authorities.find(name)
        if ambiguous:
            self.error(row, key, _("%(name)s matches more than one authority") % {"name": name})
            return None
        if found is not None:
            return found
        folded = fold(name)
        if folded in self.plan.new_authorities:
            return self.plan.new_authorities[folded]
        self.unmatched("authority", name, row)
        if not self.create:
            self.error(row, key, _("no authority is named %(name)s") % {"name": name})
            return None
        if len(name) > Authority._meta.get_field("name").max_length:
            self.error(row, key, _("the name is too long"))
            return None
        new = NewName("authority", folded, name)
        self.plan.new_authorities[folded] = new
        return new

    def place(self, row: int, values: dict, addressees: list):
        name = clean_text(values.get("place"))
        if not name:
            self.error(row, "place", _("give the place"))
            return None
        found, ambiguous = self.registry.places.find(name)
        if ambiguous:
            self.error(row, "place", _("%(name)s matches more than one place") % {"name": name})
            return None
        if found is not None:
            return found
        folded = fold(name)
        if folded in self.plan.new_places:
            return NewName("place", folded, self.plan.new_places[folded].name)
        self.unmatched("place", name, row)
        if not self.create:
            self.error(row, "place", _("no place is named %(name)s") % {"name": name})
            return None
        category = self.read(row, values, "place_category", self.vocab.category.parse)
        if category == "":
            self.error(
                row,
                "place_category",
                _("give the category of the new place %(name)s") % {"name": name},
            )
        operator_name = clean_text(values.get("operating_authority"))
        operator = (
            self.authority(row, "operating_authority", operator_name)
            if operator_name
            else (addressees[0] if addressees else None)
        )
        if operator is None and not operator_name:
            self.error(row, "operating_authority", _("give the authority running the new place"))
        if category in ("", BadValue) or operator is None:
            return None
        if len(name) > Place._meta.get_field("name").max_length:
            self.error(row, "place", _("the name is too long"))
            return None
        self.plan.new_places[folded] = NewPlace(
            name=name,
            category=category,
            district=clean_text(values.get("district"))[:100],
            authority=operator,
        )
        return NewName("place", folded, name)

    # --- one row -----------------------------------------------------------------------------

    def row(self, row: int, values: dict) -> None:
        names = [n.strip() for n in clean_text(values.get("addressees")).split(";") if n.strip()]
        if not names:
            self.error(row, "addressees", _("give at least one addressee"))
        addressees, seen = [], set()
        for name in names:
            authority = self.authority(row, "addressees", name)
            if authority is not None and authority_key(authority) not in seen:
                seen.add(authority_key(authority))
                addressees.append(authority)
        place = self.place(row, values, addressees)

        start = self.read(row, values, "visit_start", parse_moment)
        if start is None:
            self.error(row, "visit_start", _("give the date of the visit"))
        end = self.read(row, values, "visit_end", parse_moment)
        if start not in (None, BadValue):
            if start[0] > self.today:
                self.error(
                    row,
                    "visit_start",
                    _("%(date)s is in the future") % {"date": start[0].isoformat()},
                )
            if end is None:
                end = (start[0], None)
            elif end is not BadValue and end[0] < start[0]:
                self.error(
                    row,
                    "visit_end",
                    _("%(date)s is before the start of the visit") % {"date": end[0].isoformat()},
                )
        visit_end = end[0] if end not in (None, BadValue) else None
        kind = self.read(row, values, "visit_type", self.vocab.kind.parse) or VisitKind.REGULAR

        reference = clean_text(values.get("report_reference"))
        if not reference:
            self.error(row, "report_reference", _("give the report's reference number"))
        elif len(reference) > Report._meta.get_field("reference").max_length:
            self.error(row, "report_reference", _("the reference is too long"))
        issued_on = self.date(
            row, values, "report_issued_on", after=visit_end, after_label=_("the end of the visit")
        )
        if issued_on is None:
            self.error(row, "report_issued_on", _("give the date the report was issued"))
        issued = issued_on if isinstance(issued_on, dt.date) else None

        number_text = clean_text(values.get("number"))
        number = None
        if not number_text:
            self.error(row, "number", _("give the recommendation's number"))
        elif not number_text.isdigit() or int(number_text) < 1:
            self.error(
                row,
                "number",
                _("%(value)s is not a whole number above zero") % {"value": number_text},
            )
        else:
            number = int(number_text)
        text = clean_text(values.get("text"))
        if not text:
            self.error(row, "text", _("give the recommendation's text"))

        theme = None
        theme_name = clean_text(values.get("theme"))
        if theme_name:
            theme, ambiguous = self.registry.themes.find(theme_name)
            if theme is None:
                self.unmatched("theme", theme_name, row)
                self.error(row, "theme", _("no theme is named %(name)s") % {"name": theme_name})
        priority = self.read(row, values, "priority", self.vocab.priority.parse) or Priority.NORMAL
        public = self.read(row, values, "public", parse_bool)
        verified = self.read(row, values, "verified_on_site", parse_bool)
        status = (
            self.read(row, values, "status", self.vocab.status.parse) or Status.AWAITING_RESPONSE
        )
        reason = self.read(row, values, "reason", self.vocab.reason.parse)
        dispatched_on = self.date(
            row, values, "dispatched_on", after=issued, after_label=_("the report's issue")
        )
        due_date = self.read(row, values, "due_date", parse_date)
        if (
            isinstance(due_date, dt.date)
            and isinstance(dispatched_on, dt.date)
            and due_date < dispatched_on
        ):
            self.error(
                row,
                "due_date",
                _("%(date)s is before the dispatch") % {"date": due_date.isoformat()},
            )
        if isinstance(due_date, dt.date) and dispatched_on is None:
            self.error(row, "due_date", _("a response is due only once the report is dispatched"))
        responded_on = self.date(
            row, values, "responded_on", after=issued, after_label=_("the report's issue")
        )
        response_reference = clean_text(values.get("response_reference"))[:100]
        stated = self.read(row, values, "stated_status", self.vocab.stated.parse)
        since = None
        if status in ASSESSED:
            floor = responded_on if isinstance(responded_on, dt.date) and not verified else issued
            since = self.date(
                row,
                values,
                "status_since",
                after=floor,
                after_label=_("the letter or the report's issue"),
            )

        if status is not BadValue:
            self._check_status(
                row, status, reason, verified, responded_on, response_reference, stated
            )
            if not stated and status in ASSESSED:
                stated = status
        if BadValue in (
            public,
            verified,
            status,
            reason,
            dispatched_on,
            due_date,
            responded_on,
            stated,
            kind,
            priority,
            since,
        ):
            return
        if (
            None in (place, number, issued_on)
            or start in (None, BadValue)
            or end is BadValue
            or not text
            or not reference
            or not addressees
        ):
            return
        plan_row = RowPlan(
            row=row,
            number=number,
            text=text,
            theme=theme,
            priority=priority,
            public=public,
            addressees=addressees,
            status=status,
            reason=reason,
            verified_on_site=verified,
            dispatched_on=dispatched_on,
            due_date=due_date,
            responded_on=responded_on,
            response_reference=response_reference,
            stated_status=stated,
            status_since=since,
        )
        self._group(row, values, reference, place, start, end, kind, issued_on, plan_row)

    def _check_status(
        self, row, status, reason, verified, responded_on, response_reference, stated
    ):
        if reason not in ("", BadValue) and status not in REASON_STATUSES:
            self.error(row, "reason", _("a reason goes only with partial or non-implementation"))
        if status == Status.AWAITING_RESPONSE and responded_on:
            self.error(
                row, "status", _("a response was received: the status cannot be awaiting response")
            )
        if status == Status.RESPONSE_RECEIVED and not responded_on:
            self.error(row, "responded_on", _("give the date the response was received"))
        if verified is True and status not in ASSESSED:
            self.error(row, "verified_on_site", _("only an assessed status is verified on site"))
        if not responded_on and (response_reference or stated):
            column = "response_reference" if response_reference else "stated_status"
            self.error(row, column, _("give the date the response was received"))
        if responded_on and not stated and status not in ASSESSED:
            self.error(row, "stated_status", _("give what the authority's letter states"))

    def _group(self, row, values, reference, place, start, end, kind, issued_on, plan_row) -> None:
        key = reference.casefold()
        group = self.groups.get(key)
        if group is None:
            hint = VISIT_NUMBER.match(clean_text(values.get("visit")))
            group = VisitPlan(
                row=row,
                report_reference=reference,
                place=place,
                start=start,
                end=end,
                kind=kind,
                issued_on=issued_on,
                number_hint=(int(hint[1]), int(hint[2])) if hint else None,
            )
            self.groups[key] = group
            self.plan.visits.append(group)
        else:
            same = {
                "place": (_place_key(group.place), _place_key(place)),
                "visit_start": (group.start, start),
                "visit_end": (group.end, end),
                "visit_type": (group.kind, kind),
                "report_issued_on": (group.issued_on, issued_on),
            }
            for column, (first, this) in same.items():
                if first != this:
                    self.error(
                        row,
                        column,
                        _("differs from row %(row)d of the same report %(reference)s")
                        % {"row": group.row, "reference": reference},
                    )
        earlier = self.numbers.get((key, plan_row.number))
        if earlier is not None:
            self.error(
                row,
                "number",
                _("recommendation %(number)d of report %(reference)s is also in row %(row)d")
                % {"number": plan_row.number, "reference": reference, "row": earlier},
            )
            return
        self.numbers[(key, plan_row.number)] = row
        group.rows.append(plan_row)

    def finish(self) -> Plan:
        references = [g.report_reference for g in self.plan.visits]
        existing = set()
        for start in range(0, len(references), 500):
            existing |= set(
                Report.objects.filter(reference__in=references[start : start + 500]).values_list(
                    "reference", flat=True
                )
            )
        for group in self.plan.visits:
            if group.report_reference in existing:
                self.error(
                    group.row,
                    "report_reference",
                    _("a report %(reference)s already exists")
                    % {"reference": group.report_reference},
                )
        self.plan.errors.sort(key=lambda e: e.row or 0)
        return self.plan


def _place_key(place) -> str:
    return f"new:{place.key}" if isinstance(place, NewName) else f"id:{place.pk}"


def make_plan(sheet: Sheet, *, create_places: bool) -> Plan:
    planner = Planner(sheet, create_places=create_places)
    if not sheet.errors:
        for row, values in sheet.rows:
            planner.row(row, values)
    return planner.finish()
