import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.visits import VisitFactory
from visits import services
from visits.models import AccessAction, AccessLog, Attachment

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _image(kind: str) -> bytes:
    # Real pictures: images that do not decode are refused.
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, kind)
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def visit(db):
    return VisitFactory()


def upload(client, visit, name, content, **extra):
    return client.post(
        reverse("visits:visit_attachments", args=[visit.pk]),
        {"title": name, "file": SimpleUploadedFile(name, content), **extra},
    )


class TestUploads:
    @pytest.mark.parametrize(
        ("name", "content", "content_type"),
        [
            ("report.pdf", PDF, "application/pdf"),
            ("cell.png", PNG, "image/png"),
            ("photo.jpg", JPEG, "image/jpeg"),
            (
                "notes.docx",
                DOCX,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("notes.odt", ODT, "application/vnd.oasis.opendocument.text"),
            # The name does not matter, the content does.
            ("scan.bin", PDF, "application/pdf"),
        ],
    )
    def test_accepted_types_are_detected_by_content(
        self, staff_client, visit, name, content, content_type
    ):
        response = upload(staff_client, visit, name, content)
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.content_type == content_type
        assert attachment.original_name == name
        # Stored under a random name, outside the static files.
        assert name not in attachment.file.name
        assert attachment.file.name.startswith("visits/")

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("evil.pdf", b"MZ\x90\x00 this is a Windows program"),
            ("page.png", b"<html><script>alert(1)</script></html>"),
            ("archive.docx", zipped({"other.txt": b"hello"})),
        ],
    )
    def test_wrong_content_is_refused_with_a_clear_message(
        self, staff_client, visit, name, content
    ):
        response = upload(staff_client, visit, name, content)
        assert response.status_code == 200
        assert "not an accepted type (PDF, JPEG, PNG, DOCX, ODT)" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_too_large_is_refused(self, staff_client, visit, settings):
        settings.NPM_MAX_UPLOAD_MB = 1
        response = upload(staff_client, visit, "big.pdf", PDF + b"0" * (1024 * 1024 + 1))
        assert response.status_code == 200
        assert "too large (1.0 MB): at most 1 MB" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_empty_post_shows_errors(self, staff_client, visit):
        response = staff_client.post(reverse("visits:visit_attachments", args=[visit.pk]), {})
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()


def attach(visit, confidential=False, name="cell.pdf") -> Attachment:
    return services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile(name, PDF),
        title=name,
        confidential=confidential,
    )


class TestDownloads:
    def test_staff_downloads_as_attachment(self, staff_client, visit):
        attachment = attach(visit, name="Cell 3 photo.pdf")
        response = staff_client.get(
            reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Cell 3 photo.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF

    def test_confidential_downloads_are_logged(self, head_client, head, visit):
        attachment = attach(visit, confidential=True)
        url = reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        assert head_client.get(url).status_code == 200
        log = AccessLog.objects.get()
        assert (log.user, log.action, log.object_id) == (
            head,
            AccessAction.DOWNLOAD,
            str(attachment.pk),
        )

    def test_partner_on_team_gets_plain_but_not_confidential(self, partner_client, visit, on_team):
        on_team(visit)
        plain, secret = attach(visit), attach(visit, confidential=True, name="medical.pdf")
        listing = partner_client.get(reverse("visits:visit_attachments", args=[visit.pk]))
        assert "medical.pdf" not in listing.content.decode()
        assert "cell.pdf" in listing.content.decode()
        download = "visits:attachment_download"
        assert partner_client.get(reverse(download, args=[visit.pk, plain.pk])).status_code == 200
        assert partner_client.get(reverse(download, args=[visit.pk, secret.pk])).status_code == 404

    def test_compliance_never_gets_confidential(self, compliance_client, visit):
        plain, secret = attach(visit), attach(visit, confidential=True)
        download = "visits:attachment_download"
        assert (
            compliance_client.get(reverse(download, args=[visit.pk, plain.pk])).status_code == 200
        )
        assert (
            compliance_client.get(reverse(download, args=[visit.pk, secret.pk])).status_code == 404
        )

    def test_partner_not_on_team_gets_404(self, partner_client, visit, partner_as_member):
        attachment = attach(visit)
        url = reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        assert partner_client.get(url).status_code == 404

    def test_attachment_of_another_visit_is_404(self, staff_client, visit):
        attachment = attach(VisitFactory())
        url = reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        assert staff_client.get(url).status_code == 404

    def test_anonymous_is_sent_to_login(self, anonymous_client, visit):
        attachment = attach(visit)
        url = reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_findings_link_attachments_and_hide_confidential_ones(
    staff_client, partner_client, visit, on_team
):
    from tests.factories.visits import theme
    from visits.models import Finding

    plain, secret = attach(visit, name="cell.pdf"), attach(visit, True, name="medical.pdf")
    response = staff_client.post(
        reverse("visits:visit_findings", args=[visit.pk]),
        {
            "theme": theme().pk,
            "kind": "concern",
            "text": "Bruises seen.",
            "attachments": [plain.pk, secret.pk],
        },
    )
    assert response.status_code == 302
    assert set(Finding.objects.get().attachments.all()) == {plain, secret}
    on_team(visit)
    page = partner_client.get(reverse("visits:visit_findings", args=[visit.pk])).content.decode()
    assert "cell.pdf" in page
    assert "medical.pdf" not in page


def test_missing_file_is_404_not_500(staff_client, visit):
    attachment = attach(visit)
    attachment.file.storage.delete(attachment.file.name)
    url = reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
    assert staff_client.get(url).status_code == 404
