"""Authoring recommendations: create and edit them, suggest their addressees, link repeats.

The compliance side (due dates, responses, assessments, status) lives in the other modules of
this package; these functions never touch a recommendation's status."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from visits.models import Authority, Theme, Visit

from .. import access
from ..models import Priority, Recommendation, issued_report
from ..queries.repeats import earlier_ids

# After the report is issued these stay as issued; theme and the public flag may still change.
FROZEN_FIELDS = ("text", "addressees", "priority")
EDITABLE_FIELDS = ("text", "theme", "addressees", "priority", "public")


def recommendation_ensure_editable(recommendation: Recommendation) -> None:
    """Issued reports are immutable, and so are their recommendations' texts."""
    if recommendation.visit_id and issued_report(recommendation.visit) is not None:
        raise ValidationError(_("Recommendations of an issued report have frozen text."))


def recommendation_ensure_can_add(visit: Visit) -> None:
    """No new recommendations once the visit's report is issued."""
    if issued_report(visit) is not None:
        raise ValidationError(
            _("The report of this visit is issued: no recommendations can be added to it.")
        )


def suggested_addressees(visit: Visit) -> list[Authority]:
    """The place's operating authority and the ministry responsible for it (the first ministry
    up the tree, else the top of the tree)."""
    authority = visit.place.authority
    chain = authority.ancestors()
    ministry = next((a for a in chain if a.kind == Authority.Kind.MINISTRY), None)
    if ministry is None and chain:
        ministry = chain[-1]
    result = [authority]
    if ministry is not None and ministry.pk != authority.pk:
        result.append(ministry)
    return result


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the recommendation's text.")})
    return text


def _clean_addressees(addressees: Iterable[Authority]) -> list[Authority]:
    addressees = list(addressees or [])
    if not addressees:
        raise ValidationError(
            {"addressees": _("Choose at least one addressee: the institution or the ministry.")}
        )
    return addressees


def _clean_priority(priority: str) -> str:
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority: urgent, high or normal.")})
    return priority


def ensure_visit_takes_recommendations(visit: Visit) -> None:
    if visit.status == Visit.Status.PLANNED:
        raise ValidationError(
            _("The visit has not been conducted yet: recommendations come after the visit.")
        )
    if visit.status == Visit.Status.CANCELLED:
        raise ValidationError(_("The visit was cancelled: it cannot have recommendations."))
    recommendation_ensure_can_add(visit)


@transaction.atomic
def recommendation_create(
    *,
    visit: Visit,
    text: str,
    theme: Theme | None,
    addressees: Iterable[Authority],
    priority: str = Priority.NORMAL,
    public: bool = False,
    by,
    repeats: Iterable[Recommendation] = (),
) -> Recommendation:
    """A new recommendation numbered next in its visit."""
    access.require_that(by is None or access.can_add_recommendation(by))
    # Lock the visit: two people adding at once must not get the same number.
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("place__authority")
        .get(pk=visit.pk)
    )
    ensure_visit_takes_recommendations(visit)
    text = _clean_text(text)
    addressees = _clean_addressees(addressees)
    priority = _clean_priority(priority)
    last = visit.recommendations.aggregate(last=Max("number"))["last"] or 0
    recommendation = Recommendation(
        visit=visit,
        number=last + 1,
        text=text,
        theme=theme,
        priority=priority,
        public=bool(public),
        created_by=by,
    )
    recommendation._history_user = by
    recommendation.save()
    recommendation.addressees.set(addressees)
    for earlier in repeats:
        repeat_link(recommendation=recommendation, earlier=earlier, by=by)
    return recommendation


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, by, **fields) -> list[str]:
    """Change some of text, theme, addressees, priority, public; returns the names changed.

    Once the visit's report is issued, text, addressees and priority are frozen; theme and the
    public flag may still change."""
    access.require_that(by is None or access.can_change_recommendation(by))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"recommendation_update() got unexpected fields: {sorted(unknown)}")
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("visit__report")
        .get(pk=recommendation.pk)
    )
    changed: list[str] = []
    if "text" in fields:
        text = _clean_text(fields["text"])
        if text != recommendation.text:
            recommendation.text = text
            changed.append("text")
    if "priority" in fields:
        priority = _clean_priority(fields["priority"])
        if priority != recommendation.priority:
            recommendation.priority = priority
            changed.append("priority")
    new_addressees = None
    if "addressees" in fields:
        new_addressees = _clean_addressees(fields["addressees"])
        current = set(recommendation.addressees.values_list("pk", flat=True))
        if {a.pk for a in new_addressees} != current:
            changed.append("addressees")
        else:
            new_addressees = None
    if any(name in changed for name in FROZEN_FIELDS):
        recommendation_ensure_editable(recommendation)
    if "theme" in fields:
        theme = fields["theme"]
        theme_id = theme.pk if theme is not None else None
        if theme_id != recommendation.theme_id:
            recommendation.theme = theme
            changed.append("theme")
    if "public" in fields and bool(fields["public"]) != recommendation.public:
        recommendation.public = bool(fields["public"])
        changed.append("public")
    saved = [name for name in changed if name != "addressees"]
    if saved:
        recommendation._history_user = by
        recommendation.save(update_fields=[*saved, "updated_at"])
    if new_addressees is not None:
        recommendation.addressees.set(new_addressees)
        if not saved:
            # Record the change time (and a history row) for an addressee-only edit too.
            recommendation._history_user = by
            recommendation.save(update_fields=["updated_at"])
    return changed


@transaction.atomic
def recommendations_bulk_update(
    *,
    ids: Iterable[int],
    theme: Theme | None = None,
    public: bool | None = None,
    by,
) -> int:
    """Assign a theme and/or set the public flag on many recommendations; returns how many
    changed. Allowed on issued reports too (neither field is frozen)."""
    access.require_that(by is None or access.can_change_recommendation(by))
    if theme is None and public is None:
        raise ValidationError(_("Choose what to change: a theme or the public flag."))
    fields: dict = {}
    if theme is not None:
        fields["theme"] = theme
    if public is not None:
        fields["public"] = public
    changed = 0
    for recommendation in Recommendation.objects.filter(pk__in=list(ids)).order_by("pk"):
        if recommendation_update(recommendation=recommendation, by=by, **fields):
            changed += 1
    return changed


def _visit_start(recommendation: Recommendation):
    return recommendation.visit.start


@transaction.atomic
def repeat_link(*, recommendation: Recommendation, earlier: Recommendation, by) -> bool:
    """Record that `recommendation` raises again the concern of `earlier` (from an earlier
    visit). Returns False when the link already existed."""
    access.require_that(by is None or access.can_change_recommendation(by))
    if earlier.pk == recommendation.pk:
        raise ValidationError(_("A recommendation cannot repeat itself."))
    if earlier.visit_id == recommendation.visit_id:
        raise ValidationError(
            _("Both recommendations are from the same visit: a repeat links to an earlier visit.")
        )
    if not _visit_start(earlier) < _visit_start(recommendation):
        raise ValidationError(
            _("%(reference)s is from a later visit: only earlier recommendations can be repeated.")
            % {"reference": earlier.reference}
        )
    if recommendation.pk in earlier_ids(earlier):
        raise ValidationError(
            _("%(reference)s already repeats this recommendation: the link would make a loop.")
            % {"reference": earlier.reference}
        )
    if recommendation.repeats.filter(pk=earlier.pk).exists():
        return False
    recommendation.repeats.add(earlier)
    return True


@transaction.atomic
def repeat_unlink(*, recommendation: Recommendation, earlier: Recommendation, by) -> bool:
    """Remove a repeat link; returns False when there was none."""
    access.require_that(by is None or access.can_change_recommendation(by))
    if not recommendation.repeats.filter(pk=earlier.pk).exists():
        return False
    recommendation.repeats.remove(earlier)
    return True
