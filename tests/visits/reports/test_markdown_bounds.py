"""A section text that would take minutes to render as Markdown (runs of "[" make the parser
quadratic) is refused when saved and shown as plain text; the live preview is rate-limited."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.richtext import MAX_LINK_BRACKETS, render_markdown
from tests.visits.reports.sections import mine
from visits import services as rs
from visits.views.sections import PREVIEW_RATE

LINK = "[the rules](https://example.org/rules)"


def test_markdown_within_the_bounds_is_rendered():
    assert '<a href="https://example.org/rules"' in render_markdown(LINK + " [" * 10)


def test_too_many_brackets_are_shown_as_plain_text():
    html = render_markdown(LINK + "[" * (MAX_LINK_BRACKETS + 1))
    assert "<a " not in html
    assert html.startswith("<p>[the rules](https://example.org/rules)")


def test_plain_text_fallback_is_escaped():
    html = render_markdown("<script>x</script>" + "[" * (MAX_LINK_BRACKETS + 1))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_saving_too_many_brackets_is_refused_next_to_the_field(report, partner_member):
    section = mine(report)
    with pytest.raises(ValidationError) as refused:
        rs.section_save(
            section=section,
            body="[" * (MAX_LINK_BRACKETS + 1),
            base_version=section.version,
            by=partner_member,
        )
    assert "square brackets" in str(refused.value.message_dict["body"])
    section.refresh_from_db()
    assert "[" * (MAX_LINK_BRACKETS + 1) not in section.body


def test_the_preview_is_rate_limited_per_user(report, partner_client):
    cache.clear()
    section = mine(report)
    path = reverse("visits:section_preview", args=[report.visit_id, section.pk])
    statuses = [partner_client.post(path, {"body": "*x*"}).status_code for _ in range(PREVIEW_RATE)]
    assert set(statuses) == {200}
    refused = partner_client.post(path, {"body": "*x*"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
