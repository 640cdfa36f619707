"""Correcting a recorded response letter: its details and items, a forgotten recommendation, a
row ticked by mistake; the recommendations' first response date and current status follow, and
the history keeps what the letter said before."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from recommendations import services
from recommendations.models import AuthorityResponse, Recommendation, ResponseItem
from tests.factories import UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case

pytestmark = pytest.mark.django_db

Status = Recommendation.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _item(rec, stated="in_progress", **extra):
    return {"recommendation": rec, "stated_status": stated, "explanation": "Works ordered."} | extra


def _letter_case():
    visit, institution, ministry, (first, second) = issued_case(count=2)
    third = RecommendationFactory(visit=visit, number=3, addressees=[institution])
    ministry_only = RecommendationFactory(visit=visit, number=4, addressees=[ministry])
    dispatch(visit, institution, dt.date(2025, 10, 3))
    letter = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        reference="72-1/2025",
        items=[_item(first), _item(second, "not_implemented")],
    )
    return {
        "visit": visit,
        "institution": institution,
        "first": first,
        "second": second,
        "third": third,
        "ministry_only": ministry_only,
        "letter": letter,
    }


@pytest.fixture
def letter_case():
    return _letter_case()


def _correct(case, *items, by=None, **letter):
    args = {"received_on": dt.date(2025, 11, 20), "reference": "72-1/2025", "note": ""} | letter
    return services.response_correct(response=case["letter"], items=list(items), by=by, **args)


def _fresh(*recs):
    for rec in recs:
        rec.refresh_from_db()


def test_correcting_the_date_moves_the_first_response_and_status_dates():
    case = _letter_case()
    # The services check who acts: a compliance officer records letters and assessments.
    user = UserFactory(roles=[Role.COMPLIANCE])
    changes = _correct(
        case,
        _item(case["first"]),
        _item(case["second"], "not_implemented"),
        received_on=dt.date(2025, 11, 2),
        by=user,
    )
    assert changes == ["received_on"]
    _fresh(case["first"], case["second"])
    for rec in (case["first"], case["second"]):
        assert rec.responded_on == dt.date(2025, 11, 2)
        assert rec.status == Status.RESPONSE_RECEIVED
        assert rec.status_changed_on == dt.date(2025, 11, 2)
        assert rec.history.first().history_user == user
    letter = case["letter"]
    assert [h.received_on for h in letter.history.order_by("history_date")] == [
        dt.date(2025, 11, 20),
        dt.date(2025, 11, 2),
    ]
    assert letter.history.latest().history_user == user


def test_an_earlier_letter_keeps_the_first_response_date_when_a_later_one_is_corrected():
    case = _letter_case()
    services.response_record(
        visit=case["visit"],
        authority=case["visit"].place.authority.parent,
        received_on=dt.date(2025, 11, 10),
        items=[_item(case["first"])],
    )
    _correct(case, _item(case["first"]), _item(case["second"]), received_on=dt.date(2025, 11, 25))
    _fresh(case["first"], case["second"])
    assert case["first"].responded_on == dt.date(2025, 11, 10)
    assert case["second"].responded_on == dt.date(2025, 11, 25)


def test_correcting_an_item_keeps_what_it_said_before_in_history():
    case = _letter_case()
    # The services check who acts: a compliance officer records letters and assessments.
    user = UserFactory(roles=[Role.COMPLIANCE])
    changes = _correct(
        case,
        _item(case["first"], "implemented", explanation="Done.", promised_by=dt.date(2026, 1, 5)),
        _item(case["second"], "not_implemented"),
        by=user,
    )
    assert changes == [f"item:{case['first'].pk}"]
    item = ResponseItem.objects.get(response=case["letter"], recommendation=case["first"])
    assert (item.stated_status, item.explanation, item.promised_by) == (
        "implemented",
        "Done.",
        dt.date(2026, 1, 5),
    )
    before, after = item.history.order_by("history_date")
    assert (before.stated_status, before.explanation) == ("in_progress", "Works ordered.")
    assert after.history_user == user
    # The letter's own history marks the correction even though only an item changed.
    assert case["letter"].history.filter(history_type="~").count() == 1
    # What an authority states is not the NPM's verdict: the status stays "response received".
    _fresh(case["first"])
    assert case["first"].status == Status.RESPONSE_RECEIVED


def test_nothing_changed_writes_no_history():
    case = _letter_case()
    assert _correct(case, _item(case["first"]), _item(case["second"], "not_implemented")) == []
    assert case["letter"].history.count() == 1
    assert ResponseItem.history.count() == 2


def test_a_forgotten_recommendation_can_be_added_even_if_assessed_since():
    case = _letter_case()
    services.assessment_record(
        recommendation=case["third"],
        status="implemented",
        basis="other",
        assessed_on=dt.date(2025, 11, 30),
    )
    _correct(
        case,
        _item(case["first"]),
        _item(case["second"], "not_implemented"),
        _item(case["third"], "implemented"),
    )
    _fresh(case["third"])
    assert case["third"].responded_on == dt.date(2025, 11, 20)
    assert not case["third"].is_overdue(dt.date(2026, 6, 1))
    # The later assessment stays the current status.
    assert case["third"].status == Status.IMPLEMENTED
    assert ResponseItem.history.filter(recommendation_id=case["third"].pk).get().history_type == (
        "+"
    )


def test_a_row_ticked_by_mistake_is_removed_and_the_recommendation_awaits_again():
    case = _letter_case()
    _correct(case, _item(case["first"]))
    _fresh(case["second"])
    assert case["second"].responded_on is None
    assert case["second"].status == Status.AWAITING_RESPONSE
    assert case["second"].status_changed_on == dt.date(2025, 10, 3)
    assert case["second"].is_overdue(dt.date(2026, 1, 1))
    assert ResponseItem.history.filter(
        recommendation_id=case["second"].pk, history_type="-"
    ).exists()


def test_a_row_an_assessment_rests_on_stays():
    case = _letter_case()
    services.assessment_record(
        recommendation=case["second"],
        status="not_implemented",
        reason="funds",
        basis="response",
        response=case["letter"],
        assessed_on=dt.date(2025, 11, 25),
    )
    with pytest.raises(ValidationError, match="assessed on the basis of this letter"):
        _correct(case, _item(case["first"]))
    # Nor can the letter now be dated after that assessment.
    with pytest.raises(ValidationError) as error:
        _correct(
            case,
            _item(case["first"]),
            _item(case["second"], "not_implemented"),
            received_on=dt.date(2025, 11, 26),
        )
    assert "received_on" in error.value.message_dict
    assert case["letter"].items.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_on": dt.date(2099, 1, 1)}, "received_on"),
        ({"received_on": dt.date(2025, 9, 1)}, "received_on"),  # before the report was issued
        ({"received_on": None}, "received_on"),
    ],
)
def test_bad_dates_are_refused(change, field):
    case = _letter_case()
    with pytest.raises(ValidationError) as error:
        _correct(case, _item(case["first"]), **change)
    assert field in error.value.message_dict
    case["letter"].refresh_from_db()
    assert case["letter"].received_on == dt.date(2025, 11, 20)


def test_recommendations_of_another_authority_or_none_are_refused():
    case = _letter_case()
    with pytest.raises(ValidationError, match="cannot be answered by this letter"):
        _correct(case, _item(case["first"]), _item(case["ministry_only"]))
    with pytest.raises(ValidationError, match="at least one"):
        _correct(case)
    with pytest.raises(ValidationError, match="listed twice"):
        _correct(case, _item(case["first"]), _item(case["first"]))
    assert case["letter"].items.count() == 2


# --- The page -----------------------------------------------------------------------------------


def _url(case):
    return reverse("recommendations:response_edit", args=[case["letter"].pk])


def _post(case, *rows, **extra):
    data = {"received_on": "2025-11-18", "reference": "72-1/2025-c", "note": "Typo fixed."}
    for rec, status in rows:
        data |= {
            f"rec-{rec.pk}-include": "on",
            f"rec-{rec.pk}-stated_status": status,
            f"rec-{rec.pk}-explanation": "Explained.",
            f"rec-{rec.pk}-promised_by": "",
        }
    return data | extra


def test_the_page_shows_the_letter_as_recorded(letter_case, compliance_client):
    page = compliance_client.get(_url(letter_case)).content.decode()
    assert 'value="2025-11-20"' in page
    assert 'value="72-1/2025"' in page
    assert f'id="id_rec-{letter_case["first"].pk}-include" checked' in page
    # The forgotten one is offered, unticked; another authority's is not.
    assert f'data-recommendation="{letter_case["third"].pk}"' in page
    assert f'id="id_rec-{letter_case["third"].pk}-include" checked' not in page
    assert f'data-recommendation="{letter_case["ministry_only"].pk}"' not in page
    detail = compliance_client.get(
        reverse("recommendations:response_detail", args=[letter_case["letter"].pk])
    ).content.decode()
    assert _url(letter_case) in detail


def test_compliance_corrects_a_letter(
    letter_case, compliance_client, compliance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = _post(
        letter_case,
        (letter_case["first"], "implemented"),
        (letter_case["third"], "in_progress"),
        document=SimpleUploadedFile("letter.pdf", PDF),
    )
    response = compliance_client.post(_url(letter_case), data)
    assert response.status_code == 302
    assert response.url == reverse(
        "recommendations:response_detail", args=[letter_case["letter"].pk]
    )
    letter = AuthorityResponse.objects.get(pk=letter_case["letter"].pk)
    assert (letter.received_on, letter.reference, letter.note) == (
        dt.date(2025, 11, 18),
        "72-1/2025-c",
        "Typo fixed.",
    )
    assert letter.document
    assert sorted(letter.items.values_list("recommendation", "stated_status")) == sorted(
        [(letter_case["first"].pk, "implemented"), (letter_case["third"].pk, "in_progress")]
    )
    _fresh(letter_case["second"], letter_case["third"])
    assert letter_case["second"].status == Status.AWAITING_RESPONSE
    assert letter_case["third"].responded_on == dt.date(2025, 11, 18)
    detail = compliance_client.get(response.url).content.decode()
    assert 'id="response-corrections"' in detail


def test_garbage_and_forged_posts_are_refused_without_a_500(letter_case, compliance_client):
    url = _url(letter_case)
    response = compliance_client.post(url, _post(letter_case, (letter_case["first"], "x")))
    assert response.status_code == 200
    response = compliance_client.post(url, _post(letter_case, received_on="not a date"))
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    response = compliance_client.post(
        url, _post(letter_case, (letter_case["ministry_only"], "implemented")), follow=True
    )
    assert "nothing was saved" in response.content.decode()
    response = compliance_client.post(url, _post(letter_case))  # no row ticked
    assert response.status_code == 200
    assert "at least one recommendation" in response.content.decode()
    assert letter_case["letter"].items.count() == 2
    letter_case["letter"].refresh_from_db()
    assert letter_case["letter"].reference == "72-1/2025"


def test_user_without_a_role_gets_403_and_partner_404(
    letter_case, client, partner_client, compliance_client
):
    client.force_login(UserFactory())
    assert client.get(_url(letter_case)).status_code == 403
    assert partner_client.get(_url(letter_case)).status_code == 404
    assert partner_client.post(_url(letter_case), {}).status_code == 404
    missing = reverse("recommendations:response_edit", args=[999999])
    assert compliance_client.get(missing).status_code == 404
