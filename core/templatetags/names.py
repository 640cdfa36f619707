"""Registry names in documents: `{% load names %}` then `{{ place|document_name }}`."""

from django import template
from django.utils.safestring import SafeString

from core import names

register = template.Library()


@register.filter
def document_name(entry) -> SafeString:
    """The name of a place, authority or organisation for a report PDF in the active language
    (`core.names.document_name`: Latin for both Serbian editions, English marked as such)."""
    return names.document_name(entry.name, entry.name_sr)
