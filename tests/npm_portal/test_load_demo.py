from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from core.roles import user_roles
from npm_portal.demo import DEMO_PASSWORD, DEMO_USERS
from tests.demo_loaders import load_demo_up_to_visits
from visits.models import Authority, Place


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    _assert_demo_logins_printed_and_working(capsys.readouterr().out)
    first = _row_counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _row_counts() == first
    assert first["visits.Place"] >= 25
    # History tables are models too: a second run must not have written history rows either.
    assert first["visits.HistoricalPlace"] == first["visits.Place"]


def test_demo_covers_every_place_category_and_the_named_authorities(db):
    load_demo_up_to_visits()
    assert set(Place.objects.values_list("category", flat=True)) == set(Place.Category.values)
    for name in (
        "Police Department Kruševac",
        "Asylum Centre Krnjača",
        "Belgrade Nikola Tesla Airport transit zone",
    ):
        assert Place.objects.filter(name=name).exists()
    krusevac = Place.objects.get(name="Police Department Kruševac")
    assert krusevac.authority.ministry.name == "Ministry of Interior"
    uiks = Authority.objects.get(name="Administration for Enforcement of Penal Sanctions")
    assert uiks.parent.name == "Ministry of Justice"
    for ministry in (
        "Ministry of Health",
        "Ministry of Labour, Employment, Veteran and Social Affairs",
        "Commissariat for Refugees and Migration",
    ):
        assert Authority.objects.get(name=ministry).parent is None


def _assert_demo_logins_printed_and_working(printed: str) -> None:
    assert DEMO_PASSWORD in printed
    for username, _first, _last, _gender, role, _admin in DEMO_USERS:
        assert username in printed
        # The login lockout (django-axes) needs the request an attempt comes with.
        user = authenticate(RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user_roles(user) == [role]
