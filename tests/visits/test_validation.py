"""Validation gaps of the registry and the visit records: plausible numbers, the population's
overcrowding text and history, districts from a list, real dates of birth."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import VisitFactory
from visits.forms.records import clean_date_of_birth
from visits.models import District, Interview, Place, Visit

pytestmark = pytest.mark.django_db


def _place_data(authority, **changes) -> dict:
    data = {
        "name": "District Prison Kruševac",
        "category": "prison",
        "authority": authority.pk,
        "municipality": "Kruševac",
        "district": "Rasina",
        "capacity": "120",
        "active": "on",
    }
    return {**data, **changes}


class TestPopulation:
    def _post(self, client, visit, **figures):
        url = reverse("visits:visit_population", args=[visit.pk])
        data = {"capacity_on_day": "", "present": "", "women": "", "minors": "", "foreigners": ""}
        return client.post(url, {**data, **{k: str(v) for k, v in figures.items()}})

    def test_capacity_zero_with_people_present_shows_no_none_percent(self, staff_client):
        visit = VisitFactory(place=PlaceFactory(capacity=0), present=5)
        body = staff_client.get(reverse("visits:visit_population", args=[visit.pk])).content
        page = body.decode()
        assert "None%" not in page
        assert "5 people present where the capacity is recorded as 0" in page
        detail = staff_client.get(visit.get_absolute_url()).content.decode()
        assert "None%" not in detail

    def test_a_capacity_of_zero_on_the_day_with_people_present_is_refused(self, staff_client):
        visit = VisitFactory()
        response = self._post(staff_client, visit, capacity_on_day=0, present=5)
        assert response.status_code == 200
        assert "leave it empty if it is not known" in response.content.decode()
        visit.refresh_from_db()
        assert visit.present is None

    @pytest.mark.parametrize(
        "field", ["capacity_on_day", "present", "women", "minors", "foreigners"]
    )
    def test_implausible_counts_are_refused_next_to_the_field(self, staff_client, field):
        visit = VisitFactory()
        response = self._post(staff_client, visit, **{field: 10**12})
        assert response.status_code == 200
        form = response.context["form"]
        assert "No place holds more than 100000 people" in " ".join(form.errors[field])
        visit.refresh_from_db()
        assert getattr(visit, field) is None

    def test_real_figures_are_saved(self, staff_client):
        visit = VisitFactory()
        response = self._post(
            staff_client, visit, capacity_on_day=300, present=412, women=40, minors=12
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert (visit.present, visit.women, visit.minors) == (412, 40, 12)
        assert visit.overcrowded

    def test_each_count_may_not_exceed_those_present(self, staff_client):
        visit = VisitFactory()
        response = self._post(staff_client, visit, present=10, women=11, minors=10)
        form = response.context["form"]
        assert "more than the number present" in " ".join(form.errors["women"])
        assert "minors" not in form.errors

    def test_saving_the_same_figures_again_adds_no_history_row(self, staff_client):
        visit = VisitFactory()
        self._post(staff_client, visit, present=80, women=5)
        rows = visit.history.count()
        response = self._post(staff_client, visit, present=80, women=5)
        assert response.status_code == 302
        assert visit.history.count() == rows
        self._post(staff_client, visit, present=81, women=5)
        assert visit.history.count() == rows + 1
        assert Visit.objects.get(pk=visit.pk).present == 81


class TestPlaceCapacity:
    def test_implausible_capacity_is_refused_next_to_the_field(self, staff_client):
        authority = AuthorityFactory()
        response = staff_client.post(
            reverse("visits:place_create"), _place_data(authority, capacity="1000000000000")
        )
        assert response.status_code == 200
        assert "No place holds more than 100000 people" in " ".join(
            response.context["form"].errors["capacity"]
        )
        assert not Place.objects.filter(name="District Prison Kruševac").exists()


class TestDistricts:
    def test_the_migration_seeds_serbias_districts_with_serbian_names(self):
        assert District.objects.count() >= 25
        assert District.objects.get(name="South Bačka").name_sr == "Južnobački okrug"

    def test_place_form_offers_the_list_and_fills_the_text_columns(self, staff_client):
        authority = AuthorityFactory()
        page = staff_client.get(reverse("visits:place_create")).content.decode()
        assert '<select name="district"' in page
        assert '<option value="City of Belgrade">' in page
        response = staff_client.post(
            reverse("visits:place_create"), _place_data(authority, district="South Bačka")
        )
        assert response.status_code == 302
        place = Place.objects.get(name="District Prison Kruševac")
        assert (place.district, place.district_sr) == ("South Bačka", "Južnobački okrug")

    def test_free_text_near_duplicate_is_refused(self, staff_client):
        authority = AuthorityFactory()
        response = staff_client.post(
            reverse("visits:place_create"), _place_data(authority, district="city of belgrade ")
        )
        assert response.status_code == 200
        assert "district" in response.context["form"].errors
        assert not Place.objects.filter(name="District Prison Kruševac").exists()

    def test_near_duplicate_district_cannot_be_added_to_the_list(self):
        twin = District(name="  city of   BELGRADE ")
        with pytest.raises(Exception, match="already in the list"):
            twin.full_clean()
        latin = District(name="Macva")
        with pytest.raises(Exception, match="Mačva"):
            latin.full_clean()

    def test_admin_registers_districts_and_a_rename_follows_on_places(self):
        assert admin.site.is_registered(District)
        place = PlaceFactory(district="Pirot", district_sr="Pirotski okrug")
        district = District.objects.get(name="Pirot")
        district.name_sr = "Pirotski upravni okrug"
        district.save()
        place.refresh_from_db()
        assert place.district_sr == "Pirotski upravni okrug"

    def test_the_admin_chooses_a_district_from_the_list_too(self, client):
        from tests.factories import UserFactory

        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        url = reverse("admin:visits_place_add")
        assert '<select name="district"' in client.get(url).content.decode()
        authority = AuthorityFactory()
        refused = client.post(url, _place_data(authority, district="city of belgrade "))
        assert refused.status_code == 200
        response = client.post(url, _place_data(authority, district="City of Belgrade"))
        assert response.status_code == 302
        place = Place.objects.get(name="District Prison Kruševac")
        assert (place.district, place.district_sr) == ("City of Belgrade", "Grad Beograd")

    def test_editing_a_place_shows_its_district_chosen(self, staff_client):
        place = PlaceFactory(district="Rasina")
        page = staff_client.get(reverse("visits:place_edit", args=[place.pk])).content.decode()
        assert '<option value="Rasina" selected>' in page


class TestSeedingFromExistingPlaces:
    def test_existing_spellings_are_merged_case_insensitively(self):
        """The data migration's function over the places already registered."""
        import importlib

        from django.apps import apps

        migration = importlib.import_module("visits.migrations.0011_districts")
        District.objects.all().delete()
        for name, district, district_sr in [
            ("A", "Toplica ", ""),
            ("B", "toplica", "Toplički okrug"),
            ("C", "Toplica", ""),
            ("D", "Kosovo Pomoravlje", "Kosovsko-pomoravski okrug"),
        ]:
            PlaceFactory(name=name, district=district, district_sr=district_sr)
        migration.seed_districts(apps, None)
        toplica = District.objects.get(folded_name="toplica")
        assert (toplica.name, toplica.name_sr) == ("Toplica", "Toplički okrug")
        assert District.objects.filter(name="Kosovo Pomoravlje").exists()
        assert set(Place.objects.filter(name__in="ABC").values_list("district", flat=True)) == {
            "Toplica"
        }


class TestDateOfBirth:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("1990-02-28", "1990-02-28"),
            ("28.02.1990", "1990-02-28"),
            ("28.02.1990.", "1990-02-28"),
            ("28/02/1990", "1990-02-28"),
            ("1990", "1990"),
            ("", ""),
        ],
    )
    def test_real_dates_are_stored_as_iso(self, typed, stored):
        assert clean_date_of_birth(typed) == stored

    @pytest.mark.parametrize("typed", ["31/02/1990", "30.02.1990", "1990-13-01", "last spring"])
    def test_impossible_dates_are_refused(self, typed):
        with pytest.raises(Exception, match="Enter a real date"):
            clean_date_of_birth(typed)

    def test_dates_in_the_future_are_refused(self):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(Exception, match="cannot be in the future"):
            clean_date_of_birth(tomorrow.isoformat())
        with pytest.raises(Exception, match="year of birth"):
            clean_date_of_birth(str(tomorrow.year + 1))

    def test_the_interview_form_shows_the_error_next_to_the_field(self, staff_client):
        visit = VisitFactory()
        response = staff_client.post(
            reverse("visits:visit_interviews", args=[visit.pk]),
            {
                "format": "individual",
                "interviewee": "detainee",
                "consent": "none",
                "reprisal_risk": "none",
                "full_name": "Somebody",
                "date_of_birth": "31/02/1990",
            },
        )
        assert response.status_code == 200
        assert "Enter a real date" in " ".join(response.context["form"].errors["date_of_birth"])
        assert not Interview.objects.filter(visit=visit).exists()
