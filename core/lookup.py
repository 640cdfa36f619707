"""A typed choice over a table that grows without bound (places, authorities, visits): a text box
with suggestions fetched as one types (static/js/lookup.js fills its `<datalist>`), instead of a
`<select>` that would render every row on every page.

What the box accepts, in order: the object's label exactly as the suggestions show it (case
ignored), its primary key (the links other pages make, `?authority=12`), or text that names one
object only (`label_contains`). The cleaned value is the object; the box shows its label again."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

SUGGESTIONS = 15


def _clean(value) -> str:
    """The typed text, without NUL characters (no database takes them) and at most 200 long."""
    return str(value or "").replace("\x00", "").strip()[:200]


class LookupInput(forms.TextInput):
    template_name = "core/lookup_input.html"

    def __init__(self, url: str = "", attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["datalist_id"] = f"{widget['attrs'].get('id') or name}-options"
        widget["attrs"]["list"] = widget["datalist_id"]
        widget["attrs"]["data-lookup-url"] = str(self.url)
        return context


class LookupField(forms.Field):
    """`find(queryset, text)` narrows the queryset to what the text names (a Q over indexed
    columns); `display(obj)` is what the box and the suggestions show."""

    widget = LookupInput
    default_error_messages = {
        "none": _("Nothing matches “%(text)s”: pick one of the suggestions."),
        "several": _("“%(text)s” matches several: pick one of the suggestions."),
    }

    def __init__(
        self,
        *,
        queryset: QuerySet,
        find: Callable[[QuerySet, str], QuerySet],
        display: Callable[[Model], str] = str,
        url: str = "",
        **kwargs,
    ):
        kwargs.setdefault("widget", LookupInput(url=url))
        super().__init__(**kwargs)
        self.queryset, self.find, self.display = queryset, find, display
        self.widget.attrs.setdefault("maxlength", "200")

    def to_python(self, value):
        text = _clean(value)
        if not text:
            return None
        found = self._find_one(text)
        self._resolved = (text, found)  # prepare_value shows its label without asking again
        return found

    def _find_one(self, text: str):
        if text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        candidates = list(self.find(self.queryset, text)[:SUGGESTIONS])
        exact = [obj for obj in candidates if self.display(obj).casefold() == text.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(candidates) == 1:
            return candidates[0]
        code = "several" if candidates else "none"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"text": text})

    def prepare_value(self, value):
        """The label, whether the value is the object, its key (a link) or typed text."""
        if isinstance(value, Model):
            return self.display(value)
        text = _clean(value)
        resolved = getattr(self, "_resolved", None)
        if resolved is not None and resolved[0] == text:
            return self.display(resolved[1])
        if text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return self.display(found)
        return text

    def suggestions(self, text: str) -> list[str]:
        text = _clean(text)
        if not text:
            return []
        return [self.display(obj) for obj in self.find(self.queryset, text)[:SUGGESTIONS]]


def name_contains(*fields: str) -> Callable[[QuerySet, str], QuerySet]:
    """A `find` matching the text anywhere in any of the fields (case ignored)."""

    def find(queryset: QuerySet, text: str) -> QuerySet:
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": text})
        return queryset.filter(query).order_by(*fields, "pk")

    return find
