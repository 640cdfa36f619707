"""A small, complete world for walking every URL: one visit with a partner on its team, a
second partner who is not, a confidential interview with an identity, attachments, follow-up,
and every partners record. Marker strings let tests prove what must never leak."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.roles import Role
from tests.factories import UserFactory
from tests.factories import partners as pf
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import MemberFactory, ReportFactory, TeamMemberFactory, VisitFactory
from tests.security import matrix_parts
from visits import services
from visits.models import Finding, Theme, Visit

# Unique strings that must never reach a partner member or the public.
IDENTITY_MARKER = "Zqxidentity7731Marker"
NOTES_MARKER = "Zqxnotes5519Marker"
ATTACHMENT_MARKER = "Zqxattachment2207Marker"
# In the visit itself: must never reach a partner who is not on the visit.
VISIT_MARKER = "Zqxvisit8842Marker"
# In an earlier visit to the same place that no partner is on: must never reach a partner.
OTHER_VISIT_MARKER = "Zqxothervisit6120Marker"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


@dataclass
class World:
    clients: dict[str, Client]
    visit: Visit
    objects: dict[str, object] = field(default_factory=dict)


ROLES = ["anonymous", "head", "staff", "compliance", "partner_on", "partner_off"]


def build_world() -> World:
    users = {
        "head": UserFactory(username="w-head", roles=[Role.HEAD]),
        "staff": UserFactory(username="w-staff", roles=[Role.STAFF]),
        "compliance": UserFactory(username="w-compliance", roles=[Role.COMPLIANCE]),
        "partner_on": UserFactory(username="w-partner-on", roles=[Role.PARTNER]),
        "partner_off": UserFactory(username="w-partner-off", roles=[Role.PARTNER]),
    }
    bchr = pf.OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    yucom = pf.OrganisationFactory(name="YUCOM", short_name="YUCOM")
    agreement = pf.AgreementFactory(
        organisation=bchr, document=SimpleUploadedFile("agreement.pdf", PDF)
    )
    pf.AgreementFactory(organisation=yucom)
    member_on = MemberFactory(
        organisation=bchr,
        user=users["partner_on"],
        pledge_document=SimpleUploadedFile("pledge.png", _png()),
    )
    MemberFactory(organisation=yucom, user=users["partner_off"])

    visit = VisitFactory(purpose=f"Purpose {VISIT_MARKER}")
    team_member = TeamMemberFactory(visit=visit, member=member_on, role="member")
    TeamMemberFactory(visit=visit, user=users["staff"], role="head")
    interview = services.interview_create(
        visit=visit,
        interviewee="detainee",
        notes=f"Notes {NOTES_MARKER}",
        allegation=True,
        reprisal_risk="high",
        identity={
            "full_name": f"Name {IDENTITY_MARKER}",
            "date_of_birth": "1990-01-01",
            "location": f"Cell {IDENTITY_MARKER}",
            "other_identifiers": IDENTITY_MARKER,
        },
        by=users["staff"],
    )
    public_attachment = services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile("plan.pdf", PDF),
        title="Floor plan",
        confidential=False,
        by=users["staff"],
    )
    confidential_attachment = services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile(
            "medical.pdf", PDF.replace(b"%%EOF", ATTACHMENT_MARKER.encode() + b"\n%%EOF")
        ),
        title="Medical record",
        confidential=True,
        by=users["staff"],
    )
    follow_up = interview.follow_ups.get()
    # An earlier visit to the same place, with a high-risk interview of its own: its follow-up
    # check is open at the place, so the pages of `visit` are where it could leak.
    other_visit = VisitFactory(
        place=visit.place,
        planned_start=visit.planned_start - dt.timedelta(days=3),
        purpose=f"Purpose {OTHER_VISIT_MARKER}",
    )
    services.interview_create(
        visit=other_visit,
        interviewee="detainee",
        notes=f"Notes {NOTES_MARKER}",
        allegation=False,
        reprisal_risk="high",
        identity={},
        by=users["staff"],
    )
    # What else an earlier visit leaves at the place: findings, a recommendation (repeat
    # suggestions, timelines, the follow-up checklist), a report.
    Finding.objects.create(
        visit=other_visit, theme=Theme.objects.first(), text=f"Finding {OTHER_VISIT_MARKER}"
    )
    RecommendationFactory(visit=other_visit, text=f"Recommendation {OTHER_VISIT_MARKER}")
    ReportFactory(visit=other_visit, title=f"Report {OTHER_VISIT_MARKER}")
    call = pf.PublicCallFactory()
    network = pf.NetworkFactory()
    event = pf.EventFactory()
    project = pf.ProjectFactory()
    result = pf.ProjectResultFactory(project=project)

    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    world = World(
        clients=clients,
        visit=visit,
        objects={
            "users": users,
            "place": visit.place,
            "authority": visit.place.authority,
            "interview": interview,
            "public_attachment": public_attachment,
            "confidential_attachment": confidential_attachment,
            "follow_up": follow_up,
            "other_visit": other_visit,
            "team_member": team_member,
            "organisation": bchr,
            "agreement": agreement,
            "member": member_on,
            "call": call,
            "network": network,
            "event": event,
            "project": project,
            "result": result,
        },
    )
    # Reports, recommendations, the portal: their parts of the matrix add what they need.
    matrix_parts.extend_world(world)
    return world


# Encrypted at rest (issue #17): must never be in clear in the database or the media folder.
AT_REST_MARKERS = {
    "attachment title": "Zqxtitle4410Marker",
    "attachment original name": "Zqxfilename3085Marker",
    "file contents": "Zqxfile9263Marker",
    "section text": "Zqxsection5127Marker",
    "section autosave": "Zqxautosave6634Marker",
    "letter note": "Zqxletter1958Marker",
    "assessment note": "Zqxassessment7702Marker",
}


def plant_at_rest_markers(world: World) -> None:
    """Put the AT_REST_MARKERS where they are encrypted at rest: an attachment's title, name and
    contents, a section's text (and so its history) and an autosave, a letter's note and
    document, an assessment's note, a partner document."""
    from tests.factories.recommendations import AssessmentFactory, AuthorityResponseFactory

    m, staff = AT_REST_MARKERS, world.objects["users"]["staff"]
    contents = PDF.replace(b"%%EOF", m["file contents"].encode() + b"\n%%EOF")
    services.attachment_add(
        visit=world.visit,
        upload=SimpleUploadedFile(f"{m['attachment original name']}.pdf", contents),
        title=f"Title {m['attachment title']}",
        confidential=True,
        by=staff,
    )
    section = world.objects["section_staff"]
    section = services.section_save(
        section=section, body=f"Text {m['section text']}", base_version=section.version, by=staff
    )
    services.section_autosave(
        section=section,
        user=staff,
        body=f"Draft {m['section autosave']}",
        base_version=section.version,
    )
    AuthorityResponseFactory(
        visit=world.visit,
        authority=world.visit.place.authority,
        note=f"Note {m['letter note']}",
        document=SimpleUploadedFile("letter.pdf", contents),
    )
    AssessmentFactory(recommendation__visit=world.visit, note=f"Note {m['assessment note']}")
    pf.AgreementFactory(
        organisation=world.objects["organisation"],
        document=SimpleUploadedFile("agreement.pdf", contents),
    )
