"""A submission through the authority portal is exactly a letter typed in by compliance: two
identical cases, one answered through the portal, one through `response_record` by a compliance
user on the same day with the same items, give the same recommendation states, timeline, and
the same figures in `recommendations.queries.stats` and on the dashboard page.

Each case is built and measured inside a transaction that is rolled back, so both live alone in
the database and with the same names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from npm_portal.authority_portal import services
from recommendations import services as recommendation_services
from recommendations.models import Recommendation
from recommendations.queries import stats
from tests.authority_portal.helpers import authority_user
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import local
from tests.recommendations.compliance_helpers import dispatch, issue, visit_at

pytestmark = pytest.mark.django_db

ANSWERED_ON = local(2025, 11, 10, 10, 0)
# After the due date (1 December 2025): the third recommendation, never answered, is overdue.
MEASURED_ON = local(2025, 12, 10, 10, 0)
REFERENCE = "ANS-2025-0001"


def _items(recommendations) -> list[dict]:
    first, second, _third = recommendations
    return [
        {
            "recommendation": first,
            "stated_status": "implemented",
            "explanation": "The cells were repainted.",
            "promised_by": None,
        },
        {
            "recommendation": second,
            "stated_status": "in_progress",
            "explanation": "Mattresses are ordered.",
            "promised_by": dt.date(2026, 3, 1),
        },
    ]


def _build(channel: str, compliance) -> list[Recommendation]:
    ministry = AuthorityFactory(name="Ministry of Justice")
    institution = AuthorityFactory(name="District Prison", kind="institution", parent=ministry)
    place = PlaceFactory(name="District Prison Niš", authority=institution)
    visit = visit_at(place)
    recommendations = [
        RecommendationFactory(
            visit=visit, number=n, text=f"Recommendation {n}.", addressees=[institution]
        )
        for n in (1, 2, 3)
    ]
    issue(visit)
    dispatch(visit, institution, dt.date(2025, 10, 2))
    dispatch(visit, ministry, dt.date(2025, 10, 2))
    for rec in recommendations:
        rec.refresh_from_db()
    items = _items(recommendations)
    if channel == "portal":
        focal = authority_user(institution, "focal_point").user
        validator = authority_user(institution, "validator").user
        submission = services.submission_start(visit=visit, by=focal)
        for item in items:
            services.answer_save(
                submission=submission,
                recommendation=item["recommendation"],
                position="accepted" if item["stated_status"] == "implemented" else "partly",
                stated_status=item["stated_status"],
                measures=item["explanation"],
                promised_by=item["promised_by"],
                by=focal,
            )
        services.submission_send(submission=submission, by=focal)
        submission = services.submission_sign_off(submission=submission, by=validator)
        assert submission.reference == REFERENCE
    else:
        recommendation_services.response_record(
            visit=visit,
            authority=institution,
            received_on=ANSWERED_ON.date(),
            reference=REFERENCE,
            items=items,
            by=compliance,
        )
    return recommendations


def _plain(value):
    """Figures without row ids (primary keys differ between the two cases)."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in {"key", "latest_pk"}
        } | {
            name: _plain(getattr(value, name))
            for name in ("total", "implementation_rate")
            if hasattr(type(value), name)
        }
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | int | float | str | dt.date | type(None) | bool):
        return value
    return str(value)


def _page_text(html: str) -> str:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", main)
    text = re.sub(r"<[^>]+>", " ", main)
    return " ".join(text.split())


def _measure(channel: str, compliance) -> dict:
    cache.clear()
    with transaction.atomic():
        with time_machine.travel(ANSWERED_ON, tick=False):
            recommendations = _build(channel, compliance)
        with time_machine.travel(MEASURED_ON, tick=False):
            for rec in recommendations:
                rec.refresh_from_db()
            client = Client()
            client.force_login(compliance)
            response = client.get(reverse("recommendations:dashboard"))
            assert response.status_code == 200
            summary = stats.compliance_summary()
            result = {
                "summary": _plain(summary),
                "view": {
                    name: _plain(response.context[name])
                    for name in (
                        "overall",
                        "by_authority",
                        "by_category",
                        "by_theme",
                        "by_year",
                        "overdue",
                        "response_times",
                        "periods",
                    )
                },
                "page": _page_text(response.content.decode()),
                "recommendations": [
                    (
                        rec.number,
                        rec.status,
                        rec.responded_on,
                        rec.due_date,
                        rec.is_overdue(),
                        rec.status_changed_on,
                        [
                            (e.date, e.kind)
                            for e in recommendation_services.recommendation_timeline(rec)
                        ],
                        [
                            (
                                i.response.received_on,
                                i.response.reference,
                                i.stated_status,
                                i.explanation,
                                i.promised_by,
                            )
                            for i in rec.response_items.select_related("response")
                        ],
                    )
                    for rec in recommendations
                ],
                "overdue": list(Recommendation.objects.overdue().values_list("number", flat=True)),
            }
        transaction.set_rollback(True)
    cache.clear()
    return result


def test_portal_submission_and_typed_letter_give_the_same_figures(compliance):
    portal = _measure("portal", compliance)
    typed = _measure("letter", compliance)
    # The case itself is what we think it is: two answered the same day, one overdue.
    states = [(r[0], r[1], r[2], r[4]) for r in portal["recommendations"]]
    assert states == [
        (1, "response_received", ANSWERED_ON.date(), False),
        (2, "response_received", ANSWERED_ON.date(), False),
        (3, "awaiting_response", None, True),
    ]
    assert portal["overdue"] == [3]
    assert portal["summary"]["overdue"]["total"] == 1
    assert portal["summary"]["response_times"]["overall"]["responded"] == 2
    # And both channels agree on everything the NPM computes and shows.
    assert portal["recommendations"] == typed["recommendations"]
    assert portal["summary"] == typed["summary"]
    assert portal["view"] == typed["view"]
    assert portal["view"]["overall"] == portal["summary"]["overall"]
    assert portal["page"] == typed["page"]
