"""Recommendation validation gaps: promised completion dates before the letter, addressees the
report was never sent to, drafts that looked issued, and bulk publishing without confirmation."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.roles import Role
from recommendations import services
from recommendations.models import AuthorityResponse, Recommendation, ResponseItem
from tests.factories import AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issue, issued_case, visit_at

pytestmark = pytest.mark.django_db

BULK = reverse("recommendations:bulk")


@pytest.fixture
def case():
    visit, institution, ministry, (first, second) = issued_case()
    dispatch(visit, institution, dt.date(2025, 10, 3))
    dispatch(visit, ministry, dt.date(2025, 10, 6))
    return {"visit": visit, "institution": institution, "first": first, "second": second}


def _letter(case, promised_by: str, received_on: str = "2025-11-25") -> dict:
    rec = case["first"]
    return {
        "visit": case["visit"].pk,
        "authority": case["institution"].pk,
        "received_on": received_on,
        "reference": "I-7/2025",
        "note": "",
        f"rec-{rec.pk}-include": "on",
        f"rec-{rec.pk}-stated_status": "in_progress",
        f"rec-{rec.pk}-explanation": "Works start in spring.",
        f"rec-{rec.pk}-promised_by": promised_by,
    }


def _row_errors(response, rec) -> list[str]:
    row = next(r for r in response.context["rows"] if r.recommendation.pk == rec.pk)
    return list(row.errors.get("promised_by", []))


class TestPromisedDates:
    def test_a_promise_dated_before_the_letter_is_refused_next_to_the_date(
        self, case, compliance_client
    ):
        response = compliance_client.post(
            reverse("recommendations:response_create"), _letter(case, "2025-11-01")
        )
        assert response.status_code == 200
        errors = _row_errors(response, case["first"])
        assert any("cannot be before the letter was received" in e for e in errors)
        assert not AuthorityResponse.objects.exists()

    def test_a_promise_on_the_letters_day_or_later_is_recorded(self, case, compliance_client):
        response = compliance_client.post(
            reverse("recommendations:response_create"), _letter(case, "2025-11-25")
        )
        assert response.status_code == 302
        assert ResponseItem.objects.get().promised_by == dt.date(2025, 11, 25)

    def test_a_promise_already_past_is_recorded_with_a_warning(self, case, compliance_client):
        # Received in November 2025, promised for March 2026: past by now, yet plausible.
        response = compliance_client.post(
            reverse("recommendations:response_create"), _letter(case, "2026-03-01")
        )
        assert response.status_code == 302
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("promised completion date" in t and "already past" in t for t in texts)
        assert ResponseItem.objects.get().promised_by == dt.date(2026, 3, 1)

    def test_the_service_refuses_a_promise_before_the_letter(self, case):
        with pytest.raises(ValidationError, match="cannot be before the letter was received"):
            services.response_record(
                visit=case["visit"],
                authority=case["institution"],
                received_on=dt.date(2025, 11, 25),
                items=[
                    {
                        "recommendation": case["first"],
                        "stated_status": "in_progress",
                        "promised_by": dt.date(2025, 11, 24),
                    }
                ],
            )
        assert not AuthorityResponse.objects.exists()

    def test_correcting_a_letter_into_an_earlier_promise_is_refused(self, case, compliance_client):
        compliance_client.post(
            reverse("recommendations:response_create"), _letter(case, "2026-06-01")
        )
        letter = AuthorityResponse.objects.get()
        data = _letter(case, "2025-10-01")
        response = compliance_client.post(
            reverse("recommendations:response_edit", args=[letter.pk]), data
        )
        assert response.status_code == 200
        assert _row_errors(response, case["first"])
        assert ResponseItem.objects.get().promised_by == dt.date(2026, 6, 1)


@pytest.fixture
def half_sent():
    """An issued report sent to the institution only; one recommendation addressed to both,
    one to the ministry only."""
    ministry = AuthorityFactory(name="Ministry of Justice")
    place = PlaceFactory(authority=AuthorityFactory(kind="institution", parent=ministry))
    institution = place.authority
    visit = visit_at(place)
    both = RecommendationFactory(visit=visit, number=1, addressees=[institution, ministry])
    ministry_only = RecommendationFactory(visit=visit, number=2, addressees=[ministry])
    issue(visit)
    dispatch(visit, institution, dt.date(2025, 10, 3))
    return {"ministry": ministry, "both": both, "ministry_only": ministry_only}


class TestNeverSent:
    def test_no_due_date_without_a_dispatch_to_an_addressee(self, half_sent):
        half_sent["ministry_only"].refresh_from_db()
        half_sent["both"].refresh_from_db()
        assert half_sent["ministry_only"].due_date is None
        assert half_sent["both"].due_date is not None  # from the institution's dispatch

    def test_detail_warns_about_an_addressee_the_report_was_never_sent_to(
        self, half_sent, staff_client
    ):
        page = staff_client.get(half_sent["both"].get_absolute_url()).content.decode()
        assert 'id="undispatched-warning"' in page
        assert "The report was never sent to:" in page
        assert (
            "Ministry of Justice" in page.split('id="undispatched-warning"')[1].split("</div>")[0]
        )

    def test_detail_says_no_deadline_when_no_addressee_got_the_report(
        self, half_sent, staff_client
    ):
        page = staff_client.get(half_sent["ministry_only"].get_absolute_url()).content.decode()
        assert 'id="undispatched-warning"' in page
        assert "none: the report was not sent to any addressee yet" in page
        assert "set when the report is sent" not in page

    def test_no_warning_once_every_addressee_got_it(self, case, staff_client):
        page = staff_client.get(case["first"].get_absolute_url()).content.decode()
        assert 'id="undispatched-warning"' not in page

    def test_the_service_lists_the_addressees_never_sent_to(self, half_sent):
        assert services.undispatched_addressees(half_sent["both"]) == [half_sent["ministry"]]


class TestDraft:
    def test_a_draft_shows_draft_and_no_issued_count(self, staff_client):
        visit = visit_at(PlaceFactory())
        draft = RecommendationFactory(visit=visit, number=1)
        page = staff_client.get(draft.get_absolute_url()).content.decode()
        status = page.split('id="current-status"')[1].split("</div>")[0]
        assert "Draft (report not issued)" in status
        assert "Awaiting response" not in status
        assert "Issued 1 time" not in page
        assert "Counted once the report is issued." in page

    def test_an_issued_recommendation_shows_its_status_and_count(self, case, staff_client):
        page = staff_client.get(case["first"].get_absolute_url()).content.decode()
        assert "Draft (report not issued)" not in page
        assert "Awaiting response" in page
        assert "Issued 1 time since" in page


@pytest.fixture
def unpublished(case):
    draft_visit = visit_at(PlaceFactory())
    draft = RecommendationFactory(visit=draft_visit, number=1, public=False)
    already = RecommendationFactory(
        visit=case["visit"], number=3, public=True, addressees=[case["institution"]]
    )
    return [case["first"], case["second"], draft, already]


class TestBulkPublish:
    def test_mark_public_without_confirmation_changes_nothing_and_asks(
        self, unpublished, head_client
    ):
        ids = [rec.pk for rec in unpublished]
        response = head_client.post(BULK, {"ids": ids, "action": "public"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "3 recommendations will become public on the portal." in page
        assert "The public portal shows 2 of them at once" in page
        assert "1 more appears there as soon as its report is issued." in page
        assert 'name="confirmed" value="1"' in page
        assert Recommendation.objects.filter(public=True).count() == 1

    def test_confirmed_mark_public_publishes(self, unpublished, head_client):
        ids = [rec.pk for rec in unpublished]
        response = head_client.post(BULK, {"ids": ids, "action": "public", "confirmed": "1"})
        assert response.status_code == 302
        assert Recommendation.objects.filter(public=True).count() == 4

    def test_mark_not_public_needs_no_confirmation(self, unpublished, head_client):
        already = unpublished[-1]
        response = head_client.post(BULK, {"ids": [already.pk], "action": "not_public"})
        assert response.status_code == 302
        already.refresh_from_db()
        assert already.public is False

    def test_the_confirmation_is_still_refused_to_compliance(self, unpublished):
        browser = Client()
        browser.force_login(UserFactory(roles=[Role.COMPLIANCE]))
        data = {"ids": [unpublished[0].pk], "action": "public", "confirmed": "1"}
        assert browser.post(BULK, data).status_code == 403
        unpublished[0].refresh_from_db()
        assert unpublished[0].public is False
