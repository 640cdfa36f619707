"""The admin shows no confidential field: whatever is encrypted at rest is on no admin page
(change form, read-only change page, list, search, inline, history list, history version), for
any model, so reading it in the admin would need no log entry of its own."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from npm_portal.security.admin_guard import encrypted_field_names
from tests.factories.recommendations import AssessmentFactory, AuthorityResponseFactory
from tests.factories.visits import InterviewFactory, ReportSectionFactory

MARKER = "ADMIN-CONFIDENTIAL-7Q2"


@pytest.fixture
def root_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    return client


@pytest.fixture
def records(db):
    interview = InterviewFactory(notes=f"{MARKER} interview notes")
    interview.notes = f"{MARKER} notes, second version"
    interview.save()  # a second history row
    section = ReportSectionFactory(body=f"{MARKER} section body", confidential=True)
    response = AuthorityResponseFactory(note=f"{MARKER} letter note")
    assessment = AssessmentFactory(note=f"{MARKER} assessment note")
    return [interview, section, response, assessment]


def _pages(obj) -> list[str]:
    opts = obj._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    pages = [
        reverse(f"{base}_changelist"),
        reverse(f"{base}_changelist") + "?q=" + MARKER[:9],
        reverse(f"{base}_change", args=[obj.pk]),
        reverse(f"{base}_history", args=[obj.pk]),
    ]
    history = getattr(obj, "history", None)
    if isinstance(admin.site._registry[type(obj)], SimpleHistoryAdmin):
        for version in history.all():
            pages.append(reverse(f"{base}_simple_history", args=[obj.pk, version.history_id]))
    return pages


def test_no_admin_page_shows_a_confidential_field(root_client, records):
    seen = 0
    for obj in records:
        for path in _pages(obj):
            response = root_client.get(path)
            assert response.status_code == 200, path
            assert MARKER not in response.content.decode(), path
            seen += 1
    assert seen >= 14  # the interview's and section's history versions included


def test_every_admin_leaves_out_every_encrypted_field(rf, django_user_model, db):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    request = rf.get("/")
    request.user = root
    guarded = []
    for model, model_admin in admin.site._registry.items():
        secret = encrypted_field_names(model)
        if not secret:
            continue
        guarded.append(model._meta.label)
        form_fields = set(model_admin.get_form(request).base_fields)
        shown = {
            *form_fields,
            *model_admin.get_readonly_fields(request),
            *[name for name in model_admin.get_list_display(request) if isinstance(name, str)],
            *[name for name in model_admin.get_list_filter(request) if isinstance(name, str)],
            *[name.split("__")[0] for name in model_admin.get_search_fields(request)],
        }
        assert not shown & secret, (model._meta.label, shown & secret)
        for inline in model_admin.get_inline_instances(request):
            inline_secret = encrypted_field_names(inline.model)
            inline_fields = {*inline.get_formset(request).form.base_fields, *(inline.fields or ())}
            assert not inline_fields & inline_secret, (inline.model._meta.label, inline_secret)
    assert {"visits.Interview", "recommendations.AuthorityResponse"} <= set(guarded)
