"""The data dictionary describes every field actually emitted (and nothing else), gives every
enumeration's values with English and Serbian labels, and docs/open-data.md carries the same
tables. The OHCHR vocabulary mapping is complete: every theme code and every status maps."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from npm_portal.opendata import dictionary, vocabulary
from recommendations.models import Reason, Status
from tests.opendata.conftest import all_pages
from visits.models import PlaceCategory, Theme

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def _leaf_names(record: dict, prefix: str = "") -> set[str]:
    names = set()
    for key, value in record.items():
        if isinstance(value, dict):
            names |= _leaf_names(value, f"{prefix}{key}.")
        else:
            names.add(f"{prefix}{key}")
    return names


@pytest.mark.parametrize(
    ("resource", "list_name"),
    [("reports", "opendata:report-list"), ("recommendations", "opendata:recommendation-list")],
)
def test_the_dictionary_names_every_emitted_field(anonymous_client, world, resource, list_name):
    served = anonymous_client.get(reverse("opendata:dictionary")).json()
    described = [f["name"] for f in served["resources"][resource]["fields"]]
    assert len(described) == len(set(described))
    records = all_pages(anonymous_client, list_name)
    # A record with every nested object filled (the themeless one has `theme: null`).
    full = [r for r in records if all(v is not None for v in r.values() if not isinstance(v, list))]
    assert full
    for record in full:
        assert _leaf_names(record) == set(described)
    for record in records:
        assert _leaf_names(record) <= set(described) | {"theme"}


def test_every_field_has_a_type_and_descriptions(anonymous_client, world):
    served = anonymous_client.get(reverse("opendata:dictionary")).json()
    for resource in served["resources"].values():
        assert resource["list"].startswith("http://testserver/api/v1/open/")
        assert resource["csv"].endswith(".csv")
        for field in resource["fields"]:
            assert field["type"]
            assert field["description"]
            assert field["description_sr"]
            if field["type"] == "code":
                assert field["values"], field["name"]


def _values(served, resource, name) -> dict[str, dict]:
    fields = {f["name"]: f for f in served["resources"][resource]["fields"]}
    return {value["code"]: value for value in fields[name]["values"]}


def test_enumerations_list_every_value_with_english_and_serbian_labels(anonymous_client, world):
    served = anonymous_client.get(reverse("opendata:dictionary")).json()
    statuses = _values(served, "recommendations", "status")
    assert set(statuses) == set(Status.values)
    assert statuses["implemented"]["labels"]["en"] == "Implemented"
    assert set(statuses["implemented"]["labels"]) == {"en", "sr-latn", "sr-cyrl"}
    assert set(_values(served, "recommendations", "reason")) == set(Reason.values)
    assert set(_values(served, "reports", "place.category")) == set(PlaceCategory.values)
    themes = _values(served, "recommendations", "theme.code")
    assert set(themes) == set(Theme.objects.values_list("code", flat=True))
    ill = themes["ill-treatment"]
    assert ill["labels"] == {
        "en": "Treatment and ill-treatment",
        "sr-latn": "Postupanje i zlostavljanje",
        "sr-cyrl": "Поступање и злостављање",
    }
    assert ill["uhri_themes"] == [vocabulary.TORTURE]
    assert "16.10" in ill["sdg_targets"]
    nrtd = _values(served, "recommendations", "nrtd_status")
    assert set(nrtd) == {"Implemented", "Partially implemented", "Not implemented", "Not assessed"}


def test_the_dictionary_carries_the_vocabulary_mapping(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_LICENCE = "CC BY 4.0"
    settings.NPM_OPEN_DATA_RATE = "120/min"
    settings.NPM_OPEN_DATA_BULK_RATE = "30/hour"
    served = anonymous_client.get(reverse("opendata:dictionary")).json()
    mapping = served["vocabulary_mapping"]
    assert {"field": "addressees", "uhri_nrtd": "State body/institution"}.items() <= next(
        m for m in mapping["fields"] if m["field"] == "addressees"
    ).items()
    assert {s["status"]: s["nrtd_status"] for s in mapping["statuses"]} == vocabulary.STATUSES
    assert served["licence"] == "CC BY 4.0"
    assert served["rate_limits"] == {"pages": "120/min", "bulk": "30/hour"}


def test_every_theme_code_has_a_mapping():
    # The seeded vocabulary, and whatever the database holds now (a theme added in the admin
    # without a mapping fails here, and maps to nothing in the data until it is added).
    seeded = {code for code, _name, _forced_return in _seeded_themes()}
    in_database = set(Theme.objects.values_list("code", flat=True))
    assert seeded
    assert seeded | in_database <= set(vocabulary.THEMES)
    assert not set(vocabulary.THEMES) - seeded, "a mapping for a theme that is not seeded"
    for code, (uhri, sdg) in vocabulary.THEMES.items():
        assert uhri, f"{code} maps to no UHRI theme"
        assert set(uhri) <= set(vocabulary.UHRI_THEMES), code
        assert set(sdg) <= set(vocabulary.SDG_TARGETS), code
        assert all(target.startswith("16.") for target in sdg), code


def test_every_status_has_an_nrtd_status():
    assert set(vocabulary.STATUSES) == set(Status.values)
    assert set(vocabulary.STATUSES.values()) == set(vocabulary.NRTD_STATUSES)


def test_an_unmapped_theme_maps_to_nothing():
    assert vocabulary.uhri_themes("added-later") == []
    assert vocabulary.sdg_targets(None) == []


def test_the_document_carries_the_dictionary_tables():
    text = DOC.read_text()
    tables = dictionary.markdown_tables()
    assert tables in text, (
        "docs/open-data.md is out of step with the dictionary: paste the output of "
        "`manage.py shell -c 'from npm_portal.opendata.dictionary import markdown_tables; "
        "print(markdown_tables())'`"
    )
    assert dictionary.mapping_tables() in text, "docs/open-data.md: paste mapping_tables()"
    for code in vocabulary.THEMES:
        assert f"`{code}`" in text
    for status in Status.values:
        assert f"`{status}`" in text


def _seeded_themes():
    import importlib

    return importlib.import_module("visits.migrations.0002_seed_themes").THEMES
