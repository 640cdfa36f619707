"""One date format per language (npm_portal.formats): English "1 Dec 2026", Serbian in both
scripts "1. 12. 2026."; date inputs show and accept ISO in every language."""

import datetime as dt
import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories.visits import VisitFactory, local

DAY = dt.date(2026, 12, 1)
EXPECTED = {"en": "1 Dec 2026", "sr-latn": "1. 12. 2026.", "sr": "1. 12. 2026."}
# The formats this project moved away from, none of which may appear.
OLD = ["12/01/2026", "Dec. 1, 2026", "01.12.2026", "December 1, 2026"]


@pytest.fixture
def visit(db):
    return VisitFactory(planned_start=local(2026, 12, 1, 9, 0), planned_end=local(2026, 12, 1, 15))


@pytest.mark.parametrize(("language", "expected"), EXPECTED.items())
def test_visit_list_shows_the_language_date(staff_client, visit, language, expected):
    page = staff_client.get(reverse("visits:visit_list"), HTTP_ACCEPT_LANGUAGE=language)
    body = page.content.decode()
    assert page.status_code == 200
    assert expected in body
    for old in OLD:
        assert old not in body


@pytest.mark.parametrize(("language", "expected"), EXPECTED.items())
def test_visit_page_shows_the_language_date_and_time(staff_client, visit, language, expected):
    page = staff_client.get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    body = page.content.decode()
    assert f"{expected}{',' if language == 'en' else ''} 09:00" in body


@pytest.mark.parametrize("language", EXPECTED)
def test_date_input_keeps_the_iso_value(staff_client, visit, language):
    page = staff_client.get(
        reverse("visits:visit_list"), {"date_from": "2026-12-01"}, HTTP_ACCEPT_LANGUAGE=language
    )
    body = page.content.decode()
    field = re.search(r'<input type="date" name="date_from"[^>]*>', body)
    assert field, body
    assert 'value="2026-12-01"' in field.group(0)
    assert visit.reference in body  # the ISO value filtered


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "2026-12-01"), ("en", "1 Dec 2026"), ("sr-latn", "1. 12. 2026."), ("sr", "01.12.2026")],
)
def test_date_fields_accept_iso_and_the_language_form(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == DAY
        assert forms.DateInput(attrs={"type": "date"}).format_value(DAY) == "2026-12-01"


@pytest.mark.parametrize(("language", "expected"), EXPECTED.items())
def test_named_formats_agree(language, expected):
    template = Template(
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d }}|'
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        rendered = template.render(
            Context({"d": DAY, "t": dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC)})
        )
    date_format, short, plain, datetime = rendered.split("|")
    assert date_format == short == plain == expected
    assert datetime.startswith(expected)
    assert datetime.endswith("15:30")  # 14:30 UTC in Belgrade (TIME_ZONE)
