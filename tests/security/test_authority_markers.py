"""The marker crawl (test_markers.crawl) as authority users of two different authorities: from
every URL of the project, the authority area first, following every link. What never reaches
them: identities, interview notes, confidential attachments, anything of a visit not dispatched
to them (the world's VISIT_MARKER and OTHER_VISIT_MARKER), a recommendation addressed only to the
other authority, a recommendation addressed to them in a report not dispatched to them, a
confidential report section, a letter's note and an assessment's note. And the crawl does find
the text of the recommendation addressed to each (so the absence of the others means something).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security import test_markers
from tests.security.matrix_parts.authority_portal import (
    ASSESSMENT_NOTE_MARKER,
    CONFIDENTIAL_SECTION_MARKER,
    LETTER_NOTE_MARKER,
    ONLY_OTHER_AUTHORITY_MARKER,
    OTHER_OWN_REC_MARKER,
    OWN_REC_MARKER,
    UNDISPATCHED_MARKER,
)
from tests.security.test_markers import CONFIDENTIAL, _leaks, _start_paths, crawl
from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import OTHER_VISIT_MARKER, VISIT_MARKER, build_world

NEVER = [
    *CONFIDENTIAL,
    VISIT_MARKER,
    OTHER_VISIT_MARKER,
    ONLY_OTHER_AUTHORITY_MARKER,
    UNDISPATCHED_MARKER,
    CONFIDENTIAL_SECTION_MARKER,
    LETTER_NOTE_MARKER,
    ASSESSMENT_NOTE_MARKER,
]
# key in world.objects["ap_clients"] → (the text of their own recommendation, the other's)
USERS = {
    "focal": (OWN_REC_MARKER, OTHER_OWN_REC_MARKER),
    "validator": (OWN_REC_MARKER, OTHER_OWN_REC_MARKER),
    "other": (OTHER_OWN_REC_MARKER, OWN_REC_MARKER),
}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _authority_start(world) -> list[str]:
    """The authority area first (on both authorities' objects), with searches for every
    marker on its lists; then every URL of the project and the main crawl's searches."""
    o = world.objects
    area = [
        resolve_path(name, pattern, world)
        for name, pattern in url_names()
        if name.startswith("authority:")
    ]
    area += [
        reverse("authority:recommendation", args=[o["ap_other_rec"].pk]),
        reverse("authority:recommendation", args=[o["ap_rec_only_other"].pk]),
        reverse("authority:recommendation", args=[o["ap_undispatched_rec"].pk]),
        reverse("authority:report", args=[o["ap_other_report"].pk]),
        reverse("authority:submission", args=[o["ap_other_draft"].pk]),
        reverse("authority:submission", args=[o["ap_submitted"].pk]),
    ]
    lists = [
        reverse(name) for name in ("authority:home", "authority:reports", "authority:submissions")
    ]
    searches = [
        f"{path}?q={marker[3:-3]}"
        for path in lists
        for marker in [*NEVER, OWN_REC_MARKER, OTHER_OWN_REC_MARKER]
    ]
    return [*area, *searches, *_start_paths(world)]


@pytest.mark.parametrize("key", sorted(USERS))
def test_no_marker_reaches_an_authority_user(world, monkeypatch, key):
    # Every start path is crawled, and the links found from them.
    monkeypatch.setattr(test_markers, "MAX_PAGES", 3000)
    own, others = USERS[key]
    pages = crawl(world.objects["ap_clients"][key], _authority_start(world))
    assert len(pages) < 3000, "the crawl stopped before the end"
    assert not _leaks(pages, [*NEVER, others])
    # It did crawl: their own recommendation's text is there, in the authority area.
    found = [path for path, body in pages.items() if own.encode() in body]
    assert any(path.startswith("/authority/") for path in found), found
