"""Confidential fields are encrypted at rest (issue #17): the interview's interviewee category,
allegation, consent and reprisal risk; attachment titles and original names; every report
section's text, its autosaves and history copies; letter and assessment notes. The database holds
Fernet tokens only, the app reads the values, and the database is never asked to compare them."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core.crypto import EncryptedBooleanField, EncryptedMixin
from core.roles import Role
from recommendations.models import Assessment, AuthorityResponse
from tests.factories import UserFactory
from tests.factories.recommendations import AssessmentFactory, AuthorityResponseFactory
from tests.factories.visits import ReportSectionFactory, TeamMemberFactory, VisitFactory
from visits import services
from visits.forms.records import InterviewForm
from visits.management.commands.rotate_field_encryption import encrypted_columns
from visits.models import Attachment, Interview, ReportSection, SectionAutosave

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def raw(table: str, column: str, where: str = "", params=()) -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} {where}", list(params))  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def is_token(value) -> bool:
    return isinstance(value, str) and value.startswith("gAAAA")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="enc-staff", roles=[Role.STAFF])


@pytest.fixture
def visit(staff_user):
    visit = VisitFactory()
    TeamMemberFactory(visit=visit, user=staff_user, role="head")
    return visit


@pytest.fixture
def interview(visit, staff_user):
    return services.interview_create(
        visit=visit,
        interviewee="medical",
        allegation=True,
        consent="named",
        reprisal_risk="high",
        by=staff_user,
    )


ENCRYPTED = {
    Interview: ["interviewee", "allegation", "consent", "reprisal_risk", "notes"],
    Attachment: ["title", "original_name"],
    ReportSection: ["body"],
    SectionAutosave: ["body"],
    AuthorityResponse: ["note"],
    Assessment: ["note"],
}


def test_the_confidential_fields_are_encrypted_fields_history_copies_too():
    for model, names in ENCRYPTED.items():
        models = [model] + ([model.history.model] if hasattr(model, "history") else [])
        for each in models:
            for name in names:
                field = each._meta.get_field(name)
                assert isinstance(field, EncryptedMixin), f"{each.__name__}.{name}"
                assert field.get_internal_type() == "TextField"


class TestInterview:
    def test_category_allegation_consent_and_risk_are_tokens_in_the_database(self, interview):
        for table in ("visits_interview", "visits_historicalinterview"):
            for column in ("interviewee", "allegation", "consent", "reprisal_risk"):
                values = raw(table, column, "WHERE id = %s", [interview.pk])
                assert values
                assert all(is_token(value) for value in values), (table, column, values)
        fresh = Interview.objects.get(pk=interview.pk)
        assert (fresh.interviewee, fresh.allegation, fresh.consent, fresh.reprisal_risk) == (
            "medical",
            True,
            "named",
            "high",
        )
        assert fresh.get_consent_display() == "May be named"
        assert fresh.history.first().reprisal_risk == "high"

    def test_a_value_outside_the_choices_is_refused_on_every_write(self, interview):
        with pytest.raises(IntegrityError), transaction.atomic():
            Interview.objects.filter(pk=interview.pk).update(consent="everyone")
        interview.reprisal_risk = "extreme"
        with pytest.raises(IntegrityError), transaction.atomic():
            interview.save()
        assert Interview.objects.get(pk=interview.pk).reprisal_risk == "high"

    def test_the_database_is_never_asked_to_compare_an_encrypted_value(self, interview):
        for lookup in ({"consent": "named"}, {"allegation": True}, {"title__icontains": "x"}):
            model = Attachment if "title__icontains" in lookup else Interview
            with pytest.raises(FieldError):
                list(model.objects.filter(**lookup))
        # Empty values are stored as they are, so "is it empty" can still be asked.
        assert list(Interview.objects.filter(notes="")) == [interview]

    def test_the_form_still_offers_the_choices_and_a_checkbox(self, visit):
        form = InterviewForm()
        assert [value for value, _label in form.fields["consent"].choices] == [
            "none",
            "anonymised",
            "named",
            "authority",
        ]
        assert form.fields["allegation"].widget.input_type == "checkbox"
        bound = InterviewForm({"format": "individual", "interviewee": "nobody", "consent": "none"})
        assert "interviewee" in bound.errors

    def test_booleans_read_legacy_clear_values(self):
        field = EncryptedBooleanField()
        for text, value in [("1", True), ("0", False), ("true", True), ("False", False)]:
            assert field.to_python(text) is value
        for text, value in [("t", True), ("f", False), (True, True), (False, False)]:
            assert field.to_python(text) is value


def test_attachment_title_and_original_name_are_tokens(visit, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile("Petrović medical record.pdf", PDF),
        title="Injuries of P. Petrović",
        confidential=True,
        by=staff_user,
    )
    for table in ("visits_attachment", "visits_historicalattachment"):
        for column in ("title", "original_name"):
            values = raw(table, column, "WHERE id = %s", [attachment.pk])
            assert values
            assert all(is_token(value) for value in values)
            assert not any("Petrovi" in value for value in values)
    fresh = Attachment.objects.get(pk=attachment.pk)
    assert fresh.title == "Injuries of P. Petrović"
    assert fresh.original_name == "Petrović medical record.pdf"
    # Forms keep the length limit of the former column.
    assert Attachment._meta.get_field("title").formfield().max_length == 200


def test_section_text_autosaves_and_history_are_tokens(visit, staff_user):
    section = ReportSectionFactory(report__visit=visit, author=staff_user, body="")
    section = services.section_save(
        section=section, body="The guard hit him.", base_version=section.version, by=staff_user
    )
    services.section_autosave(
        section=section, user=staff_user, body="The guard hit him twice.", base_version=2
    )
    for table in ("visits_reportsection", "visits_historicalreportsection"):
        values = [v for v in raw(table, "body", "WHERE id = %s", [section.pk]) if v]
        assert values
        assert all(is_token(value) for value in values)
    (autosave,) = raw("visits_sectionautosave", "body")
    assert is_token(autosave)
    assert ReportSection.objects.get(pk=section.pk).body == "The guard hit him."
    assert SectionAutosave.objects.get().body == "The guard hit him twice."
    assert section.history.first().body == "The guard hit him."


def test_letter_and_assessment_notes_are_tokens(visit):
    response = AuthorityResponseFactory(visit=visit, note="Warden threatened the witness.")
    assessment = AssessmentFactory(recommendation__visit=visit, note="Witness moved to solitary.")
    for table in (
        "recommendations_authorityresponse",
        "recommendations_historicalauthorityresponse",
    ):
        values = raw(table, "note", "WHERE id = %s", [response.pk])
        assert values
        assert all(is_token(value) for value in values)
    assert is_token(raw("recommendations_assessment", "note", "WHERE id = %s", [assessment.pk])[0])
    assert AuthorityResponse.objects.get(pk=response.pk).note == "Warden threatened the witness."
    assert Assessment.objects.get(pk=assessment.pk).note == "Witness moved to solitary."


def test_a_token_from_another_key_family_is_not_readable(interview, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        Interview.objects.get(pk=interview.pk)


def test_rotation_covers_every_encrypted_column_and_file(
    interview, visit, staff_user, settings, tmp_path
):
    """Rotate with a new first key, drop the old key: every field and every file still reads,
    and every stored token is under the new key."""
    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile("record.pdf", PDF),
        title="Record of Petrović",
        confidential=True,
        by=staff_user,
    )
    section = ReportSectionFactory(report__visit=visit, author=staff_user, body="Draft")
    services.section_autosave(section=section, user=staff_user, body="Autosaved", base_version=1)
    response = AuthorityResponseFactory(visit=visit, note="Letter note")
    assessment = AssessmentFactory(recommendation__visit=visit, note="Assessment note")
    columns = encrypted_columns()
    for table, column in [
        ("visits_interview", "consent"),
        ("visits_historicalinterview", "allegation"),
        ("visits_historicalattachment", "original_name"),
        ("visits_historicalreportsection", "body"),
        ("visits_sectionautosave", "body"),
        ("recommendations_historicalauthorityresponse", "note"),
        ("recommendations_assessment", "note"),
        ("visits_interviewidentity", "full_name"),
    ]:
        assert any(c[0] == table and c[2] == column for c in columns), (table, column)

    old_key = settings.FIELD_ENCRYPTION_KEY[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_field_encryption", "--batch-size", "2", stdout=out)
    assert "Stored files: 1 re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEY = [new_key]

    only_new = Fernet(new_key)
    for table, _pk, column in columns:
        for value in raw(table, column, f"WHERE {connection.ops.quote_name(column)} <> ''"):
            if value is not None:
                only_new.decrypt(value.encode())  # raises if any other key was used
    fresh = Interview.objects.get(pk=interview.pk)
    assert (fresh.consent, fresh.allegation, fresh.reprisal_risk) == ("named", True, "high")
    fresh = Attachment.objects.get(pk=attachment.pk)
    assert (fresh.title, fresh.original_name) == ("Record of Petrović", "record.pdf")
    with fresh.file.open("rb") as handle:
        assert handle.read() == PDF
    assert ReportSection.objects.get(pk=section.pk).body == "Draft"
    assert SectionAutosave.objects.get().body == "Autosaved"
    assert AuthorityResponse.objects.get(pk=response.pk).note == "Letter note"
    assert Assessment.objects.get(pk=assessment.pk).note == "Assessment note"
    assert [h.consent for h in Interview.history.filter(id=interview.pk)] == ["named"]
