"""Undoing an import as one unit: every row it created, and their history rows, go; nothing else
does. Refused, with the reason, when anything recorded since depends on them (a letter, an
assessment, a dispatch, a section or a visit entered by hand, a repeat link…)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visits.models import Authority, Dispatch, Place, Report, Visit

from ..models import (
    Assessment,
    AuthorityResponse,
    ImportBatch,
    ImportedObject,
    Recommendation,
    ResponseItem,
)

# Deleted in this order: each one only after what points at it.
ORDER = [
    Assessment,
    ResponseItem,
    AuthorityResponse,
    Recommendation,
    Dispatch,
    Report,
    Visit,
    Place,
    Authority,
]


def _ids(batch: ImportBatch, model):
    return ImportedObject.objects.filter(
        batch=batch, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") or model.__name__.startswith("Historical")


def import_dependents(batch: ImportBatch) -> list[str]:
    """What was recorded since the import and rests on what it created: one line per kind."""
    problems: list[str] = []
    ours = {model: _ids(batch, model) for model in ORDER}
    for model in ORDER:
        for relation in model._meta.related_objects:
            related = relation.related_model
            if _is_history(related) or related is ImportedObject:
                continue
            if relation.many_to_many:
                through = relation.through
                source = relation.field.m2m_reverse_field_name()
                rows = through.objects.filter(**{f"{source}__in": ours[model]})
                target = relation.field.m2m_field_name()
                if related in ours:
                    rows = rows.exclude(**{f"{target}__in": ours[related]})
                if related is Recommendation and model is Recommendation:
                    rows = through.objects.filter(**{f"{source}__in": ours[model]})
                count = rows.count()
            else:
                rows = related._default_manager.filter(
                    **{f"{relation.field.name}__in": ours[model]}
                )
                if related in ours:
                    rows = rows.exclude(pk__in=ours[related])
                count = rows.count()
            if count:
                problems.append(
                    ngettext(
                        "%(count)d %(what)s recorded since rests on %(of)s of this import.",
                        "%(count)d %(what_plural)s recorded since rest on %(of)s of this import.",
                        count,
                    )
                    % {
                        "count": count,
                        "what": related._meta.verbose_name,
                        "what_plural": related._meta.verbose_name_plural,
                        "of": model._meta.verbose_name_plural,
                    }
                )
    repeats = Recommendation.repeats.through.objects.filter(
        from_recommendation__in=ours[Recommendation]
    ).count()
    if repeats:
        problems.append(
            ngettext(
                "%(count)d repeat link recorded since starts from a recommendation of this import.",
                "%(count)d repeat links recorded since start from recommendations of this import.",
                repeats,
            )
            % {"count": repeats}
        )
    return problems


def can_undo(user, batch: ImportBatch) -> bool:
    from .service import can_import

    return can_import(user) and not batch.is_undone


@transaction.atomic
def import_undo(*, batch: ImportBatch, by=None) -> dict[str, int]:
    """Remove exactly what `batch` created; refuse when anything recorded since depends on it.
    Returns how many rows of each model went."""
    from .. import access
    from .service import can_import

    access.require_that(by is None or can_import(by))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_undone:
        raise ValidationError(_("This import was already undone."))
    problems = import_dependents(batch)
    if problems:
        raise ValidationError(
            [_("This import cannot be undone: what was recorded since would be lost.")] + problems
        )
    removed: dict[str, int] = {}
    for model in ORDER:
        ids = list(_ids(batch, model).values_list("object_id", flat=True))
        if not ids:
            continue
        history = getattr(model, "history", None)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            if model is Recommendation:
                Recommendation.addressees.through.objects.filter(
                    recommendation_id__in=chunk
                ).delete()
            model.objects.filter(pk__in=chunk)._raw_delete(model.objects.db)
            if history is not None:
                history.model.objects.filter(id__in=chunk).delete()
        removed[model._meta.model_name] = len(ids)
    batch.imported_objects.all().delete()
    batch.undone_at = timezone.now()
    batch.undone_by = by if by is not None and by.is_authenticated else None
    batch.save(update_fields=["undone_at", "undone_by"])
    return removed
