"""The access log: confidential reads, reveals, downloads and every denied access are written;
the NPM head reads them with filters; nobody edits or deletes them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.factories.partners import AgreementFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory
from visits import audit, services
from visits.models import AccessAction, AccessLog

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visit(db):
    return VisitFactory()


@pytest.fixture
def interview(visit, staff):
    return services.interview_create(
        visit=visit,
        interviewee="detainee",
        notes="Confidential notes.",
        allegation=True,
        identity={"full_name": "Someone Identifiable"},
        by=staff,
    )


def _only_entry(**filters) -> AccessLog:
    entries = list(AccessLog.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


class TestWritten:
    def test_partner_probing_a_visit_not_theirs_is_logged_as_denied(
        self, partner_client, partner_member, visit
    ):
        response = partner_client.get(
            reverse("visits:visit_detail", args=[visit.pk]), REMOTE_ADDR="198.51.100.4"
        )
        assert response.status_code == 404
        entry = _only_entry(action=AccessAction.DENIED)
        assert entry.user == partner_member
        assert entry.visit == visit
        assert entry.ip == "198.51.100.4"
        assert entry.object_type == "visits:visit_detail"

    def test_403_is_logged(self, staff_client, staff):
        assert staff_client.get(reverse("access_log")).status_code == 403
        assert _only_entry(action=AccessAction.DENIED).user == staff

    def test_a_denial_the_view_logged_itself_is_not_logged_twice(
        self, compliance_client, interview
    ):
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        assert compliance_client.get(url).status_code == 404
        _only_entry(action=AccessAction.DENIED)

    def test_anonymous_requests_are_not_logged(self, anonymous_client, visit):
        anonymous_client.get(reverse("visits:visit_detail", args=[visit.pk]))
        assert not AccessLog.objects.exists()

    def test_confidential_read_is_logged(self, staff_client, staff, interview):
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        assert staff_client.get(url).status_code == 200
        assert _only_entry(action=AccessAction.VIEW_CONFIDENTIAL).user == staff

    def test_partner_document_download_is_logged(self, staff_client, staff):
        agreement = AgreementFactory(document=SimpleUploadedFile("a.pdf", PDF))
        response = staff_client.get(reverse("partners:agreement_document", args=[agreement.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        entry = _only_entry(action=AccessAction.DOWNLOAD)
        assert (entry.user, entry.object_type, entry.object_id) == (
            staff,
            "partners.Agreement",
            str(agreement.pk),
        )

    def test_refused_download_is_logged_as_denied(self, partner_client):
        agreement = AgreementFactory(document=SimpleUploadedFile("a.pdf", PDF))
        response = partner_client.get(reverse("partners:agreement_document", args=[agreement.pk]))
        assert response.status_code == 404
        assert not AccessLog.objects.filter(action=AccessAction.DOWNLOAD).exists()
        _only_entry(action=AccessAction.DENIED)


class TestRevealNeedsReauthentication:
    def test_head_confirms_password_before_revealing(self, head, interview, settings):
        settings.NPM_REQUIRE_REAUTH = True
        client = Client()
        client.force_login(head)
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        response = client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("reauthenticate"))
        assert not AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).exists()
        client.post(reverse("reauthenticate"), {"password": PASSWORD})
        response = client.post(url)
        assert "Someone Identifiable" in response.content.decode()
        _only_entry(action=AccessAction.REVEAL_IDENTITY)

    def test_partner_is_refused_and_logged_without_a_detour(
        self, partner_client, partner_member, interview, settings
    ):
        settings.NPM_REQUIRE_REAUTH = True
        member = MemberFactory(user=partner_member)
        TeamMemberFactory(visit=interview.visit, member=member, role="head")
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        assert partner_client.post(url).status_code == 403
        _only_entry(action=AccessAction.DENIED)


class TestViewer:
    def test_head_sees_and_filters_the_log(self, head_client, partner_client, visit, staff):
        partner_client.get(reverse("visits:visit_detail", args=[visit.pk]))
        audit.record(user=staff, action=AccessAction.EXPORT, object_type="x", object_id="1")
        response = head_client.get(reverse("access_log"))
        assert response.status_code == 200
        assert 'data-count="2"' in response.content.decode()
        response = head_client.get(reverse("access_log"), {"action": "denied"})
        assert 'data-count="1"' in response.content.decode()
        response = head_client.get(reverse("access_log"), {"visit": visit.pk})
        assert 'data-count="1"' in response.content.decode()
        response = head_client.get(reverse("access_log"), {"user": staff.pk})
        assert 'data-count="1"' in response.content.decode()

    @pytest.mark.parametrize(
        ("client_fixture", "status"),
        [
            ("staff_client", 403),
            ("compliance_client", 403),
            ("partner_client", 404),
            ("anonymous_client", 302),
        ],
    )
    def test_others_cannot_read_it(self, request, client_fixture, status):
        client = request.getfixturevalue(client_fixture)
        assert client.get(reverse("access_log")).status_code == status


class TestAppendOnly:
    @pytest.fixture
    def admin_client(self, db):
        admin = UserFactory(username="root", is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(admin)
        return client

    def test_admin_cannot_add_change_or_delete(self, admin_client, staff):
        entry = audit.record(user=staff, action=AccessAction.EXPORT, object_type="x", object_id="1")
        assert admin_client.get("/admin/visits/accesslog/").status_code == 200
        assert admin_client.get("/admin/visits/accesslog/add/").status_code == 403
        change = admin_client.post(
            f"/admin/visits/accesslog/{entry.pk}/change/", {"object_id": "2"}
        )
        assert change.status_code in (200, 403)
        delete = admin_client.post(f"/admin/visits/accesslog/{entry.pk}/delete/", {"post": "yes"})
        assert delete.status_code == 403
        bulk = admin_client.post(
            "/admin/visits/accesslog/",
            {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
        )
        assert bulk.status_code in (200, 302)
        entry.refresh_from_db()
        assert entry.object_id == "1"
        assert AccessLog.objects.count() >= 1

    def test_no_page_of_the_app_changes_the_log(self):
        from django.urls import get_resolver

        names = [p for p in get_resolver().reverse_dict if isinstance(p, str)]
        # The page and the auditor's export; both answer GET only (the matrix checks).
        assert not [
            n for n in names if "access" in n and n not in ("access_log", "access_log_export")
        ]


def test_a_view_may_announce_an_export_without_one_object(rf, staff):
    from django.http import HttpResponse
    from django.utils import timezone

    from npm_portal.security.audit import log_response

    request = rf.get("/visits/export.csv", REMOTE_ADDR="198.51.100.4")
    request.user = staff
    request.npm_access_log = {"action": "export", "object_type": "visits.Visit", "object_id": "*"}
    log_response(request, HttpResponse("a,b"), timezone.now())
    entry = _only_entry(action=AccessAction.EXPORT)
    assert (entry.object_type, entry.object_id, entry.ip) == ("visits.Visit", "*", "198.51.100.4")


def test_entries_are_written_only_chained(staff):
    entry = AccessLog(user=staff, action=AccessAction.EXPORT, object_type="x", object_id="1")
    with pytest.raises(ValueError, match="audit.record"):
        entry.save()
    with pytest.raises(ValueError, match="audit.record"):
        AccessLog.objects.bulk_create([entry])
    assert not AccessLog.objects.exists()


def test_entries_cannot_be_changed_or_deleted_in_code(staff):
    entry = audit.record(user=staff, action=AccessAction.EXPORT, object_type="x", object_id="1")
    entry.object_id = "2"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
