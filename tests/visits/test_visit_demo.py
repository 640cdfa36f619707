from tests.demo_loaders import load_demo_up_to_visits
from visits.models import Finding, FollowUp, InterviewIdentity, ReturnOperation, Visit


def test_demo_visits_cover_the_seed_stories(db):
    load_demo_up_to_visits()
    assert 35 <= Visit.objects.count() <= 50
    krusevac = Visit.objects.get(place__name="Police Department Kruševac", year=2014)
    assert krusevac.night is True
    assert krusevac.announced is False
    assert krusevac.planned_start.month == 6
    ukraine = Visit.objects.filter(joint_with="NPM of Ukraine", year=2014)
    assert ukraine.count() == 4
    assert set(ukraine.values_list("place__category", flat=True)) >= {"prison", "police"}
    assert Visit.objects.filter(place__name="Asylum Centre Krnjača").exists()
    assert Visit.objects.filter(place__category="reception").count() >= 3
    operation = ReturnOperation.objects.get()
    assert Finding.objects.filter(visit=operation.visit).exclude(phase="").count() == 2
    assert Visit.objects.filter(status="planned").exists()
    assert FollowUp.objects.open().exists()
    assert InterviewIdentity.objects.exists()
    assert len({v.place.category for v in Visit.objects.select_related("place")}) >= 12


def test_demo_partner_is_on_some_visits_and_not_others(db):
    from django.contrib.auth import get_user_model

    load_demo_up_to_visits()
    users = get_user_model().objects
    partner_visits = set(Visit.objects.visible_to(users.get(username="partner")))
    partner2_visits = set(Visit.objects.visible_to(users.get(username="partner2")))
    assert 3 <= len(partner_visits) < Visit.objects.count()
    assert len(partner2_visits) >= 3
    assert partner_visits.isdisjoint(partner2_visits)


def test_demo_pages_render_for_every_role(db, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    load_demo_up_to_visits()
    sample = list(
        Visit.objects.filter(
            place__name__in=[
                "Police Department Kruševac",
                "Belgrade Nikola Tesla Airport transit zone",
                "Special Hospital for Psychiatric Diseases Gornja Toponica",
                "Correctional Institution for Women Požarevac",
            ]
        )
    )
    tabs = ["visit_detail", "visit_team", "visit_population", "visit_findings"]
    tabs += ["visit_interviews", "visit_attachments", "visit_return"]
    for username in ("head", "staff", "compliance", "partner", "partner2"):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        visible = set(Visit.objects.visible_to(user))
        for page in ("visits:visit_list", "visits:visit_agenda", "dashboard"):
            assert client.get(reverse(page)).status_code == 200
        for visit in sample:
            for tab in tabs:
                status = client.get(reverse(f"visits:{tab}", args=[visit.pk])).status_code
                if visit not in visible:
                    expected = {404}
                elif tab == "visit_interviews" and username == "compliance":
                    expected = {403}
                else:
                    expected = {200, 302}
                assert status in expected, (username, visit, tab, status)
            for interview in visit.interviews.all():
                url = reverse("visits:interview_detail", args=[visit.pk, interview.pk])
                status = client.get(url).status_code
                # Compliance: 404 like a missing id, so no id is confirmed to exist.
                assert status == (404 if visit not in visible or username == "compliance" else 200)
