"""Every file served to a logged-in user is written to the access log once, as a download of the
record it belongs to (issue #17, as SECURITY.md promises): attachments confidential or not,
partner documents, letters, report renders and PDFs, the public portal's PDF. An anonymous
visitor's download of an issued public PDF is not logged (public data)."""

from __future__ import annotations

import pytest
from django.http import FileResponse
from django.urls import resolve, reverse

from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import build_world
from visits.models import AccessAction, AccessLog

# Every view that sends a stored file: the test fails if one of them is no longer reached.
DOWNLOAD_VIEWS = {
    "visits:attachment_download",
    "visits:report_render_download",
    "visits:report_pdf",
    "visits:report_public_pdf",
    "partners:agreement_document",
    "partners:member_pledge",
    "recommendations:response_document",
    "portal:report_pdf",
}
EXPORT_VIEWS = {"recommendations:export_xlsx"}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _paths(world) -> list[str]:
    paths = {
        resolve_path(name, pattern, world)
        for name, pattern in url_names()
        if not name.startswith("admin:")
    }
    for key in ("public_attachment", "confidential_attachment"):
        attachment = world.objects[key]
        paths.add(reverse("visits:attachment_download", args=[world.visit.pk, attachment.pk]))
    issued = world.objects["issued_report"]
    for name in ("visits:report_pdf", "visits:report_public_pdf"):
        paths.add(reverse(name, args=[issued.visit.pk]))
    paths.add(reverse("portal:report_pdf", args=[issued.pk]))
    return sorted(paths)


@pytest.mark.parametrize("role", ["head", "staff"])
def test_every_file_download_is_logged_once(world, role):
    client, user = world.clients[role], world.objects["users"][role]
    served = set()
    for path in _paths(world):
        before = set(AccessLog.objects.values_list("pk", flat=True))
        response = client.get(path)
        if not isinstance(response, FileResponse):
            continue
        b"".join(response.streaming_content)
        view = resolve(path).view_name
        served.add(view)
        new = AccessLog.objects.exclude(pk__in=before)
        # The tracker's XLSX export is sent as a file too: logged as the export it is.
        action = AccessAction.EXPORT if view in EXPORT_VIEWS else AccessAction.DOWNLOAD
        assert [(e.user, e.action) for e in new] == [(user, action)], path
    assert served >= DOWNLOAD_VIEWS


def test_non_confidential_attachments_are_logged_with_their_visit(world):
    attachment = world.objects["public_attachment"]
    world.clients["staff"].get(
        reverse("visits:attachment_download", args=[world.visit.pk, attachment.pk])
    )
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD)
    assert (entry.object_type, entry.object_id, entry.visit) == (
        "visits.Attachment",
        str(attachment.pk),
        world.visit,
    )


def test_the_public_pdf_is_logged_for_a_logged_in_user_not_for_a_visitor(world):
    issued = world.objects["issued_report"]
    url = reverse("portal:report_pdf", args=[issued.pk])
    response = world.clients["anonymous"].get(url)
    assert response.status_code == 200
    assert not AccessLog.objects.exists()
    world.clients["compliance"].get(url)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (
        world.objects["users"]["compliance"],
        AccessAction.DOWNLOAD,
        "visits.Report",
    )
