"""History labels and generated texts in the reader's language: simple-history's "+ ~ -" codes
through `history_label` (msgctxt "history"), and the reprisal-risk check said at display time
(FollowUp.text), whatever language it was recorded in."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from tests.factories import PlaceFactory
from tests.factories.partners import AgreementFactory, OrganisationFactory
from tests.factories.visits import InterviewFactory, ReportSectionFactory, VisitFactory
from visits.models import FollowUp
from visits.models.confidential import reprisal_check_text

SERBIAN_CHECK = "Visok rizik od odmazde posle razgovora {code}: proveriti položaj sagovornika."


def _rows(body: str, marker: str) -> str:
    start = body.index(marker)
    return body[start : start + 4000]


class TestHistoryLabel:
    @pytest.mark.parametrize(
        ("code", "label"), [("+", "Created"), ("~", "Changed"), ("-", "Deleted")]
    )
    def test_codes_become_words(self, code, label):
        rendered = Template("{% load history_tags %}{{ code|history_label }}").render(
            Context({"code": code})
        )
        assert rendered == label

    @pytest.mark.parametrize("language", ["sr-latn", "sr"])
    def test_label_follows_the_language_with_the_history_context(self, language):
        with translation.override(language):
            rendered = Template("{% load history_tags %}{{ code|history_label }}").render(
                Context({"code": "~"})
            )
            assert rendered == pgettext("history", "Changed")

    def test_visit_history_says_created_and_changed(self, staff_client):
        visit = VisitFactory()
        visit.purpose = "Checked the registers."
        visit.save()
        body = staff_client.get(visit.get_absolute_url()).content.decode()
        assert "· Created ·" in body
        assert "· Changed ·" in body
        assert "· + ·" not in body
        assert "· ~ ·" not in body

    def test_place_history_says_changed(self, staff_client):
        place = PlaceFactory()
        place.capacity = 10
        place.save()
        body = staff_client.get(place.get_absolute_url()).content.decode()
        assert "· Changed ·" in body

    def test_partner_pages_history(self, staff_client):
        organisation = OrganisationFactory()
        organisation.name = organisation.name + " (renamed)"
        organisation.save()
        agreement = AgreementFactory(organisation=organisation)
        agreement_url = reverse("partners:agreement_detail", args=[agreement.pk])
        for url in (organisation.get_absolute_url(), agreement_url):
            body = staff_client.get(url).content.decode()
            assert "· Created ·" in body

    def test_section_history_table(self, staff_client):
        section = ReportSectionFactory()
        section.body = "Second version."
        section.save()
        visit = section.report.visit
        url = reverse("visits:section_history", args=[visit.pk, section.pk])
        body = staff_client.get(url).content.decode()
        rows = _rows(body, 'id="history-table"')
        assert "<td>Created</td>" in rows
        assert "<td>Changed</td>" in rows


class TestReprisalCheckText:
    @pytest.fixture
    def recorded_in_serbian(self, db):
        interview = InterviewFactory()
        return FollowUp.objects.create(
            place=interview.visit.place,
            visit=interview.visit,
            interview=interview,
            description=SERBIAN_CHECK.format(code=interview.code),
        )

    def test_english_page_says_it_in_english(self, head_client, recorded_in_serbian):
        visit = recorded_in_serbian.visit
        body = head_client.get(visit.get_absolute_url()).content.decode()
        code = recorded_in_serbian.interview.code
        assert (
            f"High risk of reprisals after interview {code}: check on the interviewee&#x27;s"
            in body
        )
        assert "Visok rizik" not in body
        place_page = head_client.get(visit.place.get_absolute_url()).content.decode()
        assert "Visok rizik" not in place_page
        assert f"High risk of reprisals after interview {code}" in place_page

    def test_check_page_title_in_the_reader_language(self, head_client, recorded_in_serbian):
        visit = recorded_in_serbian.visit
        url = reverse("visits:follow_up_check", args=[visit.pk, recorded_in_serbian.pk])
        body = head_client.get(url).content.decode()
        assert "Visok rizik" not in body
        assert "High risk of reprisals" in body

    @pytest.mark.parametrize("language", ["sr-latn", "sr"])
    def test_serbian_reader_gets_the_active_language_text(self, recorded_in_serbian, language):
        code = recorded_in_serbian.interview.code
        with translation.override(language):
            assert recorded_in_serbian.text == reprisal_check_text(code)
            assert recorded_in_serbian.text == translation.gettext(
                "High risk of reprisals after interview %(code)s: "
                "check on the interviewee's situation."
            ) % {"code": code}

    def test_check_without_an_interview_keeps_its_description(self, db):
        visit = VisitFactory()
        item = FollowUp.objects.create(
            place=visit.place, visit=visit, description="Ask about the new cells."
        )
        assert item.text == "Ask about the new cells."

    def test_recording_a_high_risk_interview_stores_the_check(self, head):
        from visits.models import ReprisalRisk
        from visits.services.records import interview_update

        interview = InterviewFactory()
        interview_update(
            interview=interview, reason="Risk reassessed.", by=head, reprisal_risk=ReprisalRisk.HIGH
        )
        check = FollowUp.objects.get(interview=interview)
        assert check.text == reprisal_check_text(interview.code)
        assert interview.code in check.description
