"""The admin shows no confidential field. Whatever is encrypted at rest (interview notes and
circumstances, attachment titles and names, section bodies, letter and assessment notes: every
field whose class comes from `core.crypto`) is taken out of every admin page, in every app:
forms, read-only change pages, lists, filters, searches, inlines and the history pages (which
render the same form). Applied once from `NpmPortalConfig.ready`, after the admin has
discovered every app's registrations, so a new admin cannot forget it.

So the admin never needs logging like the app's confidential pages: the places where those
fields are read are the app's own views, which log every read."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

ENCRYPTED_FIELDS_MODULE = "core.crypto"


def is_encrypted(field) -> bool:
    return any(cls.__module__ == ENCRYPTED_FIELDS_MODULE for cls in type(field).__mro__)


def encrypted_field_names(model: type[models.Model]) -> set[str]:
    return {field.name for field in model._meta.get_fields() if is_encrypted(field)}


def _without(names, secret: set[str]):
    if names is None:
        return None
    return type(names)(name for name in names if not (isinstance(name, str) and name in secret))


def _hide(admin_class_or_instance, secret: set[str]) -> None:
    target = admin_class_or_instance
    target.exclude = tuple(sorted({*(target.exclude or ()), *secret}))
    for attribute in ("fields", "readonly_fields", "list_display", "list_display_links"):
        value = getattr(target, attribute, None)
        if value:
            setattr(target, attribute, _without(value, secret))
    target.list_filter = _without(getattr(target, "list_filter", ()) or (), secret)
    target.search_fields = tuple(
        name
        for name in getattr(target, "search_fields", ()) or ()
        if name.lstrip("^=@").split("__")[0] not in secret
    )
    if getattr(target, "fieldsets", None):
        target.fieldsets = [
            (title, {**options, "fields": _without(options.get("fields", ()), secret)})
            for title, options in target.fieldsets
        ]


def _history_changes_without_secrets(
    self, request, historical_records, foreign_keys_are_objs=True
) -> None:
    """SimpleHistoryAdmin.set_history_delta_changes, leaving encrypted fields out of the
    "changes" column of the history list (which shows old and new values)."""
    secret = sorted(encrypted_field_names(self.model))
    previous = None
    for current in historical_records:
        if previous is not None:
            delta = previous.diff_against(
                current, excluded_fields=secret, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, previous)
            previous.history_delta_changes = helper.context_for_delta_changes(delta)
        previous = current


def hide_encrypted_fields(site: admin.AdminSite | None = None) -> None:
    site = site or admin.site
    SimpleHistoryAdmin.set_history_delta_changes = _history_changes_without_secrets
    for model, model_admin in site._registry.items():
        secret = encrypted_field_names(model)
        if secret:
            _hide(model_admin, secret)
        for inline in model_admin.inlines:
            inline_secret = encrypted_field_names(inline.model)
            if inline_secret:
                _hide(inline, inline_secret)
