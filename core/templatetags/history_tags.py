"""History rows in the reader's language: {% load history_tags %} {{ record|history_label }}.

django-simple-history stores "+", "~" and "-"; its own labels have no Serbian catalogue and
share their words with unrelated msgids, so the labels are said here, with a "history" context.
"""

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

LABELS = {
    "+": pgettext_lazy("history", "Created"),
    "~": pgettext_lazy("history", "Changed"),
    "-": pgettext_lazy("history", "Deleted"),
}


@register.filter
def history_label(record) -> str:
    """The label of a history row (or of its type code)."""
    code = getattr(record, "history_type", record)
    return str(LABELS.get(code, code))
