import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.services.authoring import (
    recommendation_create,
    recommendation_update,
    recommendations_bulk_update,
    repeat_link,
    repeat_unlink,
    suggested_addressees,
)
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import ReportFactory
from tests.recommendations.authoring_helpers import issue, rec, theme, tree, visit_in
from visits.models import Authority, Place, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def prison_visit():
    ministry, directorate, prison = tree()
    place = PlaceFactory(
        name="District Prison Niš", category=Place.Category.PRISON, authority=prison
    )
    return visit_in(2025, place)


def create(visit, by, **kwargs):
    values = {
        "visit": visit,
        "text": "Renovate the detention rooms.",
        "theme": theme("material-conditions"),
        "addressees": suggested_addressees(visit),
        "priority": Recommendation.Priority.NORMAL,
        "public": False,
        "by": by,
    }
    values.update(kwargs)
    return recommendation_create(**values)


# --- Addressees ---------------------------------------------------------------------------------


def test_suggested_addressees_are_the_institution_and_its_ministry(prison_visit):
    names = [a.name for a in suggested_addressees(prison_visit)]
    assert names == ["District Prison Niš", "Ministry of Justice"]


def test_suggested_addressees_stop_at_the_first_ministry_up_the_tree():
    top = AuthorityFactory(name="Government", kind=Authority.Kind.OTHER)
    ministry = AuthorityFactory(
        name="Ministry of Interior", kind=Authority.Kind.MINISTRY, parent=top
    )
    directorate = AuthorityFactory(
        name="Police Directorate", kind=Authority.Kind.DIRECTORATE, parent=ministry
    )
    station = AuthorityFactory(
        name="Police Department Kruševac", kind=Authority.Kind.INSTITUTION, parent=directorate
    )
    visit = visit_in(2025, PlaceFactory(authority=station))
    assert suggested_addressees(visit) == [station, ministry]


def test_suggested_addressees_of_a_place_run_by_a_ministry_is_the_ministry_alone():
    ministry = AuthorityFactory(name="Ministry of Defence", kind=Authority.Kind.MINISTRY)
    visit = visit_in(2025, PlaceFactory(authority=ministry))
    assert suggested_addressees(visit) == [ministry]


# --- Create -------------------------------------------------------------------------------------


def test_create_numbers_recommendations_in_order_within_the_visit(prison_visit, staff):
    other_visit = visit_in(2025, prison_visit.place, month=5)
    first = create(prison_visit, staff)
    second = create(prison_visit, staff, text="Keep a register of injuries.")
    elsewhere = create(other_visit, staff)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert second.created_by == staff
    assert set(second.addressees.values_list("name", flat=True)) == {
        "District Prison Niš",
        "Ministry of Justice",
    }
    assert second.status == Recommendation.Status.AWAITING_RESPONSE


def test_create_continues_after_the_highest_number(prison_visit, staff):
    rec(prison_visit, number=7)
    assert create(prison_visit, staff).number == 8


def test_create_requires_an_addressee(prison_visit, staff):
    with pytest.raises(ValidationError) as error:
        create(prison_visit, staff, addressees=[])
    assert "addressees" in error.value.error_dict
    assert not prison_visit.recommendations.exists()


def test_create_requires_a_text(prison_visit, staff):
    with pytest.raises(ValidationError) as error:
        create(prison_visit, staff, text="   ")
    assert "text" in error.value.error_dict


def test_create_rejects_an_unknown_priority(prison_visit, staff):
    with pytest.raises(ValidationError):
        create(prison_visit, staff, priority="whenever")


@pytest.mark.parametrize("status", [Visit.Status.PLANNED, Visit.Status.CANCELLED])
def test_create_refused_on_planned_or_cancelled_visits(staff, status):
    extra = {"cancel_reason": "Weather."} if status == Visit.Status.CANCELLED else {}
    visit = visit_in(2025, status=status, **extra)
    with pytest.raises(ValidationError):
        create(visit, staff, addressees=[visit.place.authority])
    assert not visit.recommendations.exists()


def test_create_refused_once_the_report_is_issued(prison_visit, staff):
    issue(prison_visit)
    with pytest.raises(ValidationError, match="issued"):
        create(prison_visit, staff)


def test_create_allowed_while_the_report_is_drafted(prison_visit, staff):
    ReportFactory(visit=prison_visit)
    assert create(prison_visit, staff).number == 1


def test_create_links_repeats(prison_visit, staff):
    earlier = rec(visit_in(2020, prison_visit.place))
    created = create(prison_visit, staff, repeats=[earlier])
    assert list(created.repeats.all()) == [earlier]


def test_create_with_a_later_repeat_is_refused_as_a_whole(prison_visit, staff):
    later = rec(visit_in(2026, prison_visit.place))
    with pytest.raises(ValidationError):
        create(prison_visit, staff, repeats=[later])
    assert not prison_visit.recommendations.exists()


# --- Update -------------------------------------------------------------------------------------


def test_update_changes_fields_and_reports_what_changed(prison_visit, staff):
    recommendation = create(prison_visit, staff)
    ministry = Authority.objects.get(name="Ministry of Justice")
    changed = recommendation_update(
        recommendation=recommendation,
        by=staff,
        text="Renovate the detention rooms within a year.",
        priority=Recommendation.Priority.URGENT,
        addressees=[ministry],
        theme=recommendation.theme,
    )
    assert changed == ["text", "priority", "addressees"]
    recommendation.refresh_from_db()
    assert recommendation.text == "Renovate the detention rooms within a year."
    assert recommendation.priority == Recommendation.Priority.URGENT
    assert list(recommendation.addressees.all()) == [ministry]
    assert recommendation.history.first().history_user == staff


def test_update_refuses_no_addressees(prison_visit, staff):
    recommendation = create(prison_visit, staff)
    with pytest.raises(ValidationError):
        recommendation_update(recommendation=recommendation, by=staff, addressees=[])
    assert recommendation.addressees.count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "A new text."},
        {"priority": Recommendation.Priority.URGENT},
        {"addressees": "ministry-only"},
    ],
)
def test_after_issue_text_addressees_and_priority_are_frozen(prison_visit, staff, fields):
    recommendation = create(prison_visit, staff)
    issue(prison_visit)
    if fields.get("addressees") == "ministry-only":
        fields = {"addressees": [Authority.objects.get(name="Ministry of Justice")]}
    with pytest.raises(ValidationError, match="frozen"):
        recommendation_update(recommendation=recommendation, by=staff, **fields)
    recommendation.refresh_from_db()
    assert recommendation.text == "Renovate the detention rooms."
    assert recommendation.priority == Recommendation.Priority.NORMAL
    assert recommendation.addressees.count() == 2


def test_after_issue_theme_and_public_may_change(prison_visit, staff):
    recommendation = create(prison_visit, staff)
    issue(prison_visit)
    changed = recommendation_update(
        recommendation=recommendation,
        by=staff,
        text=recommendation.text,  # unchanged: allowed
        theme=theme("health-care"),
        public=True,
    )
    assert changed == ["theme", "public"]
    recommendation.refresh_from_db()
    assert recommendation.theme.code == "health-care"
    assert recommendation.public is True


def test_update_rejects_unknown_fields(prison_visit, staff):
    recommendation = create(prison_visit, staff)
    with pytest.raises(TypeError):
        recommendation_update(recommendation=recommendation, by=staff, status="implemented")


def test_bulk_update_counts_only_real_changes(prison_visit, staff):
    a = create(prison_visit, staff, public=True)
    b = create(prison_visit, staff)
    c = create(prison_visit, staff)
    issue(prison_visit)
    assert recommendations_bulk_update(ids=[a.pk, b.pk, c.pk], public=True, by=staff) == 2
    assert Recommendation.objects.filter(public=True).count() == 3
    assert recommendations_bulk_update(ids=[a.pk, b.pk], theme=theme("registers"), by=staff) == 2
    assert set(Recommendation.objects.values_list("theme__code", flat=True)) == {
        "registers",
        "material-conditions",
    }


def test_bulk_update_needs_something_to_change(prison_visit, staff):
    a = create(prison_visit, staff)
    with pytest.raises(ValidationError):
        recommendations_bulk_update(ids=[a.pk], by=staff)


# --- Repeat links -------------------------------------------------------------------------------


def test_repeat_link_and_unlink(prison_visit, staff):
    earlier = rec(visit_in(2019, prison_visit.place))
    current = rec(prison_visit)
    assert repeat_link(recommendation=current, earlier=earlier, by=staff) is True
    assert repeat_link(recommendation=current, earlier=earlier, by=staff) is False
    assert list(earlier.repeated_by.all()) == [current]
    assert repeat_unlink(recommendation=current, earlier=earlier, by=staff) is True
    assert repeat_unlink(recommendation=current, earlier=earlier, by=staff) is False
    assert not current.repeats.exists()


def test_repeat_link_refuses_itself(prison_visit, staff):
    current = rec(prison_visit)
    with pytest.raises(ValidationError, match="itself"):
        repeat_link(recommendation=current, earlier=current, by=staff)


def test_repeat_link_refuses_the_same_visit(prison_visit, staff):
    a, b = rec(prison_visit), rec(prison_visit)
    with pytest.raises(ValidationError, match="same visit"):
        repeat_link(recommendation=b, earlier=a, by=staff)


def test_repeat_link_refuses_a_later_visit(prison_visit, staff):
    later = rec(visit_in(2026, prison_visit.place))
    current = rec(prison_visit)
    with pytest.raises(ValidationError, match="later visit"):
        repeat_link(recommendation=current, earlier=later, by=staff)
    assert not current.repeats.exists()


def test_repeat_link_uses_the_actual_start_when_known(prison_visit, staff):
    # Planned for 2019 but actually conducted after `prison_visit` (2025): it is later.
    moved = visit_in(2019, prison_visit.place)
    moved.actual_start = prison_visit.start.replace(year=2026)
    moved.actual_end = moved.actual_start.replace(hour=15)
    moved.save()
    current = rec(prison_visit)
    with pytest.raises(ValidationError):
        repeat_link(recommendation=current, earlier=rec(moved), by=staff)


def test_repeat_link_refuses_a_loop(prison_visit, staff):
    # A loop can only come from links made outside the service (e.g. dates changed since).
    old = rec(visit_in(2019, prison_visit.place))
    current = rec(prison_visit)
    old.repeats.add(current)
    with pytest.raises(ValidationError, match="loop"):
        repeat_link(recommendation=current, earlier=old, by=staff)


# --- Pages --------------------------------------------------------------------------------------

CREATE = reverse("recommendations:create")
SUGGESTIONS = reverse("recommendations:suggestions")


def form_data(visit, **overrides):
    data = {
        "visit": visit.pk,
        "text": "Renovate the detention rooms.",
        "theme": theme("material-conditions").pk,
        "addressees": [a.pk for a in suggested_addressees(visit)],
        "priority": "normal",
    }
    data.update(overrides)
    return data


def test_create_page_without_a_visit_offers_open_visits(staff_client, prison_visit):
    planned = visit_in(2026, status=Visit.Status.PLANNED)
    response = staff_client.get(CREATE)
    assert response.status_code == 200
    page = response.content.decode()
    assert prison_visit.reference in page
    assert planned.reference not in page
    chosen = staff_client.get(CREATE, {"visit": prison_visit.pk})
    assert chosen.status_code == 200  # the form itself (the param goes straight to it)


def test_create_page_preselects_the_suggested_addressees(staff_client, prison_visit):
    response = staff_client.get(CREATE, {"visit": prison_visit.pk})
    form = response.context["form"]
    assert [a.name for a in form.initial["addressees"]] == [
        "District Prison Niš",
        "Ministry of Justice",
    ]
    page = response.content.decode()
    assert f'hx-get="{SUGGESTIONS}"' in page
    assert 'hx-trigger="change, keyup changed delay:800ms"' in page


def test_create_saves_and_redirects_to_the_detail(staff_client, prison_visit, staff):
    earlier = rec(visit_in(2020, prison_visit.place), theme=theme("material-conditions"))
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}", form_data(prison_visit, repeats=[earlier.pk])
    )
    created = prison_visit.recommendations.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:detail", args=[created.pk])
    assert created.number == 1
    assert created.created_by == staff
    assert list(created.repeats.all()) == [earlier]
    assert created.addressees.count() == 2


def test_create_shows_errors_next_to_the_fields(staff_client, prison_visit):
    response = staff_client.post(CREATE, form_data(prison_visit, addressees=[], text=""))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"text", "addressees"}
    assert not prison_visit.recommendations.exists()


def test_create_refuses_a_later_recommendation_as_repeat(staff_client, prison_visit):
    later = rec(visit_in(2026, prison_visit.place))
    response = staff_client.post(CREATE, form_data(prison_visit, repeats=[later.pk]))
    assert response.status_code == 200
    assert "repeats" in response.context["form"].errors
    assert not prison_visit.recommendations.exists()


def test_refresh_button_redisplays_suggestions_without_saving(staff_client, prison_visit):
    earlier = rec(visit_in(2020, prison_visit.place), theme=theme("material-conditions"))
    response = staff_client.post(CREATE, form_data(prison_visit, refresh="1"))
    assert response.status_code == 200
    assert not prison_visit.recommendations.exists()
    assert f'name="repeats" value="{earlier.pk}"' in response.content.decode()


def test_create_on_an_issued_report_sends_back_with_a_message(staff_client, prison_visit):
    issue(prison_visit)
    response = staff_client.get(CREATE, {"visit": prison_visit.pk})
    assert response.status_code == 302
    response = staff_client.post(CREATE, form_data(prison_visit))
    assert response.status_code == 302
    assert not prison_visit.recommendations.exists()


def test_create_access(compliance_client, partner_client, anonymous_client, prison_visit):
    assert compliance_client.get(CREATE, {"visit": prison_visit.pk}).status_code == 403
    assert compliance_client.post(CREATE, form_data(prison_visit)).status_code == 403
    assert partner_client.get(CREATE, {"visit": prison_visit.pk}).status_code == 404
    assert anonymous_client.get(CREATE).status_code == 302
    assert not prison_visit.recommendations.exists()


def test_create_with_an_unknown_visit_is_404(staff_client):
    assert staff_client.get(CREATE, {"visit": 999999}).status_code == 404
    assert staff_client.get(CREATE, {"visit": "abc"}).status_code == 404


def test_suggestions_fragment(staff_client, prison_visit):
    earlier = rec(
        visit_in(2020, prison_visit.place),
        theme=theme("health-care"),
        text="Renovate the detention rooms in the basement.",
    )
    rec(visit_in(2027, prison_visit.place), theme=theme("material-conditions"))  # later
    response = staff_client.get(
        SUGGESTIONS,
        {
            "visit": prison_visit.pk,
            "theme": theme("material-conditions").pk,
            "text": "Renovate the detention rooms.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-suggestion="{earlier.pk}"' in page
    assert page.count("data-suggestion=") == 1
    assert f'name="repeats" value="{earlier.pk}"' in page


def test_suggestions_keep_ticked_rows(staff_client, prison_visit):
    earlier = rec(visit_in(2020, prison_visit.place), theme=theme("registers"), text="Other.")
    response = staff_client.get(
        SUGGESTIONS,
        {"visit": prison_visit.pk, "text": "Unrelated words here.", "repeats": [earlier.pk]},
    )
    assert f'value="{earlier.pk}" id="repeat-{earlier.pk}" checked' in response.content.decode()


def test_suggestions_without_a_visit_are_empty(staff_client):
    response = staff_client.get(SUGGESTIONS)
    assert response.status_code == 200
    assert "data-suggestion=" not in response.content.decode()


def test_suggestions_access(compliance_client, partner_client, prison_visit):
    assert compliance_client.get(SUGGESTIONS, {"visit": prison_visit.pk}).status_code == 403
    assert partner_client.get(SUGGESTIONS, {"visit": prison_visit.pk}).status_code == 404


def edit_url(recommendation):
    return reverse("recommendations:edit", args=[recommendation.pk])


def test_edit_saves_changes(staff_client, prison_visit, staff):
    recommendation = create(prison_visit, staff)
    response = staff_client.post(
        edit_url(recommendation),
        form_data(prison_visit, text="Renovate now.", priority="high", public="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:detail", args=[recommendation.pk])
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.priority, recommendation.public) == (
        "Renovate now.",
        "high",
        True,
    )


def test_edit_after_issue_disables_frozen_fields_and_keeps_them(staff_client, prison_visit, staff):
    recommendation = create(prison_visit, staff)
    issue(prison_visit)
    page = staff_client.get(edit_url(recommendation))
    form = page.context["form"]
    assert form.frozen
    assert [n for n, f in form.fields.items() if f.disabled] == ["text", "addressees", "priority"]
    assert "frozen as issued" in page.content.decode()
    # A forged POST cannot change the frozen fields; theme and public still change.
    response = staff_client.post(
        edit_url(recommendation),
        form_data(
            prison_visit,
            text="Forged.",
            priority="urgent",
            addressees=[prison_visit.place.authority.pk],
            theme=theme("health-care").pk,
            public="on",
        ),
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Renovate the detention rooms."
    assert recommendation.priority == "normal"
    assert recommendation.addressees.count() == 2
    assert recommendation.theme.code == "health-care"
    assert recommendation.public is True


def test_edit_page_lists_repeat_suggestions_with_link_buttons(staff_client, prison_visit, staff):
    earlier = rec(visit_in(2020, prison_visit.place), theme=theme("material-conditions"))
    recommendation = create(prison_visit, staff)
    page = staff_client.get(edit_url(recommendation)).content.decode()
    assert 'id="repeats"' in page
    assert f'data-suggestion="{earlier.pk}"' in page
    assert reverse("recommendations:repeat_link", args=[recommendation.pk]) in page


def test_edit_access(compliance_client, partner_client, prison_visit, staff):
    recommendation = create(prison_visit, staff)
    assert compliance_client.get(edit_url(recommendation)).status_code == 403
    assert partner_client.get(edit_url(recommendation)).status_code == 404
    assert (
        compliance_client.post(edit_url(recommendation), form_data(prison_visit)).status_code == 403
    )


def test_repeat_link_page_links_and_unlinks(staff_client, prison_visit, staff):
    earlier = rec(visit_in(2020, prison_visit.place))
    recommendation = create(prison_visit, staff)
    url = reverse("recommendations:repeat_link", args=[recommendation.pk])
    response = staff_client.post(url, {"earlier": earlier.pk, "action": "link"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(recommendation) + "#repeats"
    assert list(recommendation.repeats.all()) == [earlier]
    staff_client.post(url, {"earlier": earlier.pk, "action": "unlink"})
    assert not recommendation.repeats.exists()


def test_repeat_link_page_shows_the_rule_broken(staff_client, prison_visit, staff):
    later = rec(visit_in(2026, prison_visit.place))
    recommendation = create(prison_visit, staff)
    url = reverse("recommendations:repeat_link", args=[recommendation.pk])
    response = staff_client.post(url, {"earlier": later.pk, "action": "link"}, follow=True)
    assert "only earlier recommendations can be repeated" in response.content.decode()
    assert not recommendation.repeats.exists()


def test_repeat_link_access(compliance_client, partner_client, prison_visit, staff):
    earlier = rec(visit_in(2020, prison_visit.place))
    recommendation = create(prison_visit, staff)
    url = reverse("recommendations:repeat_link", args=[recommendation.pk])
    assert compliance_client.post(url, {"earlier": earlier.pk}).status_code == 403
    assert partner_client.post(url, {"earlier": earlier.pk}).status_code == 404
    assert not recommendation.repeats.exists()
