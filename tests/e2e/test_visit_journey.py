"""Journey 1: staff plans an unannounced night visit with two partner experts and a doctor,
conducts it, logs findings per theme, a confidential interview and the population on the day."""

import datetime as dt
import importlib

from django.apps import apps
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.visits import MemberFactory, OrganisationFactory
from visits.models import AccessLog, Finding, Interview, InterviewIdentity, TeamMember, Visit


def test_staff_plans_and_logs_a_night_visit(live_server, page, login):
    # Browser tests flush the database between tests: seed the themes again as the migration does.
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    UserFactory(username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF])
    place = PlaceFactory(
        name="Police Department Kruševac",
        authority=AuthorityFactory(name="Police Administration Kruševac"),
        capacity=6,
        holds_women=True,
    )
    bchr = OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    mdri = OrganisationFactory(name="Mental Disability Rights Initiative", short_name="MDRI-S")
    ian = OrganisationFactory(name="International Aid Network", short_name="IAN")
    MemberFactory(organisation=bchr, first_name="Ana", last_name="Marković", gender="female")
    MemberFactory(
        organisation=mdri, first_name="Marija", last_name="Nikolić", expertise="psychiatrist"
    )
    MemberFactory(organisation=ian, first_name="Tamara", last_name="Lukić", expertise="medical")
    MemberFactory(organisation=bchr, first_name="Jovana", last_name="S", pledge_signed_on=None)

    # Last night, 22:00 to 02:00 local time, so that it can be recorded as conducted.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    start = f"{yesterday:%Y-%m-%d}T22:00"
    end = f"{timezone.localdate():%Y-%m-%d}T02:00"

    login("staff", PASSWORD)
    page.get_by_role("link", name="Visits", exact=True).click()
    page.get_by_role("link", name="Plan a visit").click()
    page.locator("#id_place").select_option(label="Police Department Kruševac")
    page.locator("#id_kind").select_option(label="Regular / in-depth")
    expect(page.locator("#id_announced")).not_to_be_checked()
    page.locator("#id_planned_start").fill(start)
    page.locator("#id_planned_end").fill(end)
    page.locator("#id_purpose").fill("Treatment of persons detained overnight.")
    page.get_by_role("button", name="Save").click()

    # The team tab: htmx adds people without reloading the page.
    expect(page.locator("[data-badge=night]")).to_be_visible()
    expect(page.locator("[data-badge=unannounced]")).to_be_visible()
    url_before = page.url
    page.locator("#id_user").select_option(label="Miloš Janković")
    page.locator("#id_role").select_option(label="Head of team")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#team-table tbody tr[data-team-member]")).to_have_count(1)
    expect(page.locator("#team-section")).to_contain_text("the team has no woman")

    # A member without a signed pledge is not offered, nor is whoever is on the team already.
    expect(page.locator("#id_member option", has_text="Jovana S")).to_have_count(0)
    expect(page.locator("#id_user option", has_text="Miloš Janković")).to_have_count(0)

    rows = page.locator("#team-table tbody tr[data-team-member]")
    for count, (label, role) in enumerate(
        [
            ("Ana Marković (BCHR, Legal)", "Member"),
            ("Marija Nikolić (MDRI-S, Psychiatrist)", "Member"),
            ("Tamara Lukić (IAN, Medical doctor)", "Medical expert"),
        ],
        start=2,
    ):
        page.locator("#id_member").select_option(label=label)
        page.locator("#id_role").select_option(label=role)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(rows).to_have_count(count)
    expect(page.locator("#team-section .alert-success")).to_contain_text("added to the team")
    expect(page.locator("#team-section")).not_to_contain_text("has no woman")
    assert page.url == url_before  # no full reload

    # Conduct it.
    page.get_by_role("link", name="Record as conducted").click()
    expect(page.locator("#id_actual_start")).to_have_value(start)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-status=conducted]")).to_be_visible()

    # Population on the day: more present than places.
    page.locator("[data-tab=population]").click()
    page.locator("#id_capacity_on_day").fill("6")
    page.locator("#id_present").fill("8")
    page.locator("#id_women").fill("1")
    page.locator("#id_minors").fill("0")
    page.locator("#id_foreigners").fill("2")
    page.get_by_role("button", name="Save population").click()
    expect(page.locator("[data-overcrowded]")).to_contain_text("133%")

    # Findings per theme (htmx).
    page.locator("[data-tab=findings]").click()
    for theme, kind, text in [
        ("Material conditions", "Concern", "Cells have no natural light."),
        ("Registers and documentation", "Good practice", "Register complete and accurate."),
    ]:
        page.locator("#id_theme").select_option(label=theme)
        page.locator("#id_kind").select_option(label=kind)
        page.locator("#id_text").fill(text)
        page.get_by_role("button", name="Add finding").click()
        expect(page.locator("#findings-list")).to_contain_text(text)
        expect(page.locator("#id_text")).to_have_value("")
    expect(page.locator("#findings-list h2")).to_have_count(2)

    # A confidential interview with the interviewee's identity.
    page.locator("[data-tab=interviews]").click()
    page.locator("#id_interviewee").select_option(label="Detainee / resident")
    page.locator("#id_notes").fill("Says he was handcuffed to a radiator overnight.")
    page.locator("#id_allegation").check()
    page.locator("#id_consent").select_option(label="Anonymised use")
    page.locator("#id_reprisal_risk").select_option(label="High")
    page.locator("#id_full_name").fill("Dragan Dragić")
    page.locator("#id_location").fill("Cell 2")
    page.get_by_role("button", name="Add interview").click()
    visit = Visit.objects.get()
    code = f"{visit.reference}-I01"
    expect(page.locator("#interview-table")).to_contain_text(code)
    expect(page.locator("#interviews-section")).not_to_contain_text("Dragan Dragić")

    # The database holds what the journey did, the identity encrypted.
    visit.refresh_from_db()
    assert visit.status == "conducted"
    assert visit.night is True
    assert visit.announced is False
    assert visit.overcrowded is True
    assert visit.occupancy_rate == 133
    assert visit.place == place
    roles = sorted(TeamMember.objects.filter(visit=visit).values_list("role", flat=True))
    assert roles == ["head", "medical", "member", "member"]
    assert Finding.objects.filter(visit=visit).count() == 2
    interview = Interview.objects.get(visit=visit)
    assert interview.reprisal_risk == "high"
    assert visit.place.follow_ups.filter(checked_at__isnull=True).count() == 1
    identity = InterviewIdentity.objects.get(interview=interview)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name FROM visits_interviewidentity WHERE id = %s", [identity.pk]
        )
        assert "Dragan" not in cursor.fetchone()[0]
    assert identity.full_name == "Dragan Dragić"
    assert not AccessLog.objects.filter(action="reveal_identity").exists()
