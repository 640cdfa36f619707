"""A letter formed by a submission is what the authority signed off: compliance cannot correct
it (the service refuses, the page is 403, the letter page offers no "Correct" button); a letter
typed in by hand still can be."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role
from npm_portal.authority_portal import services
from npm_portal.authority_portal.models import AuthorityAccount
from recommendations import services as recommendation_services
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import UserFactory

TODAY = dt.date(2025, 11, 3)


@pytest.fixture
def portal_letter(db):
    with time_machine.travel(dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        visit, institution, _ministry, recommendations = dispatched_case()
        focal = authority_user(institution)
        validator = authority_user(institution, AuthorityAccount.Function.VALIDATOR)
        submission = services.submission_start(visit=visit, by=focal.user)
        services.answer_save(
            submission=submission,
            recommendation=recommendations[0],
            position="accepted",
            stated_status="implemented",
            measures="The cells were repainted.",
            by=focal.user,
        )
        services.submission_send(submission=submission, by=focal.user)
        submission = services.submission_sign_off(submission=submission, by=validator.user)
        hand_letter = recommendation_services.response_record(
            visit=visit,
            authority=institution,
            received_on=TODAY,
            reference="L-by-hand",
            items=[
                {
                    "recommendation": recommendations[1],
                    "stated_status": "in_progress",
                    "explanation": "Planned.",
                    "promised_by": dt.date(2026, 3, 1),
                }
            ],
        )
    return submission.letter, hand_letter, recommendations


def test_the_service_refuses_to_correct_a_portal_letter(portal_letter):
    letter, _hand, recommendations = portal_letter
    with (
        time_machine.travel(dt.datetime(2025, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError, match="signed off by the authority"),
    ):
        recommendation_services.response_correct(
            response=letter,
            received_on=TODAY,
            reference=letter.reference,
            items=[
                {
                    "recommendation": recommendations[0],
                    "stated_status": "not_implemented",
                    "explanation": "Changed by the NPM.",
                    "promised_by": None,
                }
            ],
        )
    letter.refresh_from_db()
    assert letter.items.get().stated_status == "implemented"


def test_the_correction_page_is_403_and_the_button_is_gone(portal_letter, client):
    letter, hand_letter, _recommendations = portal_letter
    client.force_login(UserFactory(roles=[Role.COMPLIANCE]))
    assert client.get(reverse("recommendations:response_edit", args=[letter.pk])).status_code == 403
    edit_hand = reverse("recommendations:response_edit", args=[hand_letter.pk])
    assert client.get(edit_hand).status_code == 200
    page = client.get(reverse("recommendations:response_detail", args=[letter.pk])).content.decode()
    assert reverse("recommendations:response_edit", args=[letter.pk]) not in page
    assert letter.submission.reference in page
    hand_page = client.get(reverse("recommendations:response_detail", args=[hand_letter.pk]))
    assert edit_hand in hand_page.content.decode()
