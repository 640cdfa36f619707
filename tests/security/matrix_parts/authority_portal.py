"""The authority portal (npm_portal.authority_portal) in the role × URL matrix: the authority
area (`authority:*`, /authority/) and the NPM's side of it (`answers:*`, /answers/).

Rules: the authority area is for authority users only: anonymous users go to the login page,
every NPM role and every partner gets 404 (the area does not exist for them), except the
invitation link, which is public (a good link shows the form to choose a password; a bad,
expired or used one is a 404 page that says so). The NPM side: anonymous to the login page;
head, staff and compliance see the inbox, submissions, accounts and escalations; only head and
staff manage accounts (compliance 403) and share a report's full version (they are the ones
who dispatch); accepting a submission is a button (POST only); partner-only users get 404.
POST-only URLs answer 405 to a GET.

The objects (`extend_world`), on their own place so that nothing of the world's visit or of the
other parts is dispatched to these authorities:

- a ministry and an institution under it (the place's authority), and an unrelated authority;
- report "AP-1" (issued, a stored public PDF, one confidential section) of a visit at the
  institution's place, dispatched to the institution and the ministry (full version not shared);
  two recommendations addressed to both, and one addressed only to the unrelated authority;
- report "AP-2" of a visit elsewhere, dispatched to the unrelated authority only: one
  recommendation addressed to it, and one addressed to the institution (not dispatched to it);
- accounts: the institution's focal point (`ap_focal`) and validator (`ap_validator`), an
  invited alternate who never logged in (`ap_invited`), the unrelated authority's focal point
  (`ap_other_focal`);
- a submitted submission of the institution (an answer with an evidence file; its letter has a
  note and the recommendation an assessment with a note), the institution's draft (an answer
  with an evidence file), the unrelated authority's draft, and an escalation.

The marker strings below let tests/security/test_authority_markers.py prove what never reaches an
authority user; `world.objects["ap_clients"]` holds a logged-in client per authority user.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core.roles import Role
from npm_portal.authority_portal import services
from npm_portal.authority_portal.invitations import invitation_path
from npm_portal.authority_portal.models import AuthorityAccount, Escalation
from tests.factories import AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import AssessmentFactory, RecommendationFactory
from tests.factories.visits import ReportFactory, ReportSectionFactory, VisitFactory
from visits.models import Report, Visit
from visits.services import dispatch_record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PUBLIC_PDF = b"%PDF-1.4\n% authority portal public version\n%%EOF\n"

# Found by the authority it is addressed to (proves the crawl reached the recommendations).
OWN_REC_MARKER = "Zqxownrec4471Marker"
OTHER_OWN_REC_MARKER = "Zqxotherownrec8305Marker"
# In report AP-1 (the institution's), addressed only to the unrelated authority, to which AP-1
# was not dispatched: nobody in the authority area sees it.
ONLY_OTHER_AUTHORITY_MARKER = "Zqxonlyother6652Marker"
# In report AP-2 (the unrelated authority's), addressed to the institution: AP-2 was not
# dispatched to the institution, so its users never see it either.
UNDISPATCHED_MARKER = "Zqxundispatched2290Marker"
CONFIDENTIAL_SECTION_MARKER = "Zqxconfsection5813Marker"
LETTER_NOTE_MARKER = "Zqxletternote3376Marker"
ASSESSMENT_NOTE_MARKER = "Zqxassessnote9048Marker"

AUTHORITY_ONLY = "L 404 404 404 404 404"
POST_ONLY = "L 405 405 405 405 405"
NPM_VIEW = "L 200 200 200 404 404"
NPM_MANAGE = "L 200 200 403 404 404"

MATRIX = {
    "authority:home": AUTHORITY_ONLY,
    "authority:recommendation": AUTHORITY_ONLY,
    "authority:reports": AUTHORITY_ONLY,
    "authority:report": AUTHORITY_ONLY,
    "authority:report_public_pdf": AUTHORITY_ONLY,
    "authority:report_full_pdf": AUTHORITY_ONLY,
    "authority:submission_start": POST_ONLY,
    "authority:submissions": AUTHORITY_ONLY,
    "authority:submission": AUTHORITY_ONLY,
    "authority:answer_edit": AUTHORITY_ONLY,
    "authority:answer_remove": POST_ONLY,
    "authority:evidence_add": POST_ONLY,
    "authority:evidence": AUTHORITY_ONLY,
    "authority:evidence_remove": POST_ONLY,
    # A confirmation page (send, sign off) or a form (return with a comment), then the POST.
    "authority:submission_send": AUTHORITY_ONLY,
    "authority:submission_return": AUTHORITY_ONLY,
    "authority:submission_sign_off": AUTHORITY_ONLY,
    "authority:submission_follow_up": POST_ONLY,
    # Public: a good link shows the form to anyone (it is the link that authenticates); a bad,
    # expired or used one is a 404 page that says so (test_authority_matrix).
    "authority:invitation": "200 200 200 200 200 200",
    "answers:inbox": NPM_VIEW,
    "answers:detail": NPM_VIEW,
    # POST only (the button on the submission's page).
    "answers:accept": POST_ONLY,
    "answers:clarify": NPM_VIEW,
    "answers:evidence": NPM_VIEW,
    "answers:escalations": NPM_VIEW,
    "answers:account_list": NPM_VIEW,
    "answers:account_create": NPM_MANAGE,
    "answers:account_detail": NPM_VIEW,
    "answers:account_deactivate": NPM_MANAGE,
    "answers:account_invite": POST_ONLY,
    "visits:dispatch_share": POST_ONLY,
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # The authority area does not exist for the NPM and partners, whatever the method.
    "authority:submission_start": AUTHORITY_ONLY,
    "authority:answer_edit": AUTHORITY_ONLY,
    "authority:evidence_add": AUTHORITY_ONLY,
    "authority:submission_send": AUTHORITY_ONLY,
    "authority:submission_sign_off": AUTHORITY_ONLY,
    # Compliance accepts; staff and head then find it accepted already (the service does
    # nothing twice) and are sent back to it.
    "answers:accept": "L 404 404 R R R",
    # No question: the form again with its message.
    "answers:clarify": "L 404 404 200 200 200",
    # An empty form: shown again with its errors to those who manage accounts.
    "answers:account_create": "L 404 404 403 200 200",
    # Staff deactivate the invited account; the head then finds it deactivated already.
    "answers:account_deactivate": "L 404 404 403 R R",
    # A fresh invitation: the page shows the new link once (in case the mail fails).
    "answers:account_invite": "L 404 404 403 200 200",
    "visits:dispatch_share": "L 404 404 403 R R",
}


def _pk(key: str):
    return lambda w: {"pk": w.objects[key].pk}


ARGUMENTS = {
    "authority:recommendation": _pk("ap_rec_1"),
    "authority:report": _pk("ap_report"),
    "authority:report_public_pdf": _pk("ap_report"),
    "authority:report_full_pdf": _pk("ap_report"),
    "authority:submission_start": _pk("ap_report"),
    "authority:submission": _pk("ap_draft"),
    "authority:answer_edit": lambda w: {
        "pk": w.objects["ap_draft"].pk,
        "rec_pk": w.objects["ap_rec_2"].pk,
    },
    "authority:answer_remove": lambda w: {
        "pk": w.objects["ap_draft"].pk,
        "answer_pk": w.objects["ap_draft_answer"].pk,
    },
    "authority:evidence_add": lambda w: {
        "pk": w.objects["ap_draft"].pk,
        "answer_pk": w.objects["ap_draft_answer"].pk,
    },
    "authority:evidence": lambda w: {
        "pk": w.objects["ap_submitted"].pk,
        "evidence_pk": w.objects["ap_evidence"].pk,
    },
    "authority:evidence_remove": lambda w: {
        "pk": w.objects["ap_draft"].pk,
        "evidence_pk": w.objects["ap_draft_evidence"].pk,
    },
    "authority:submission_send": _pk("ap_draft"),
    "authority:submission_return": _pk("ap_draft"),
    "authority:submission_sign_off": _pk("ap_draft"),
    "authority:submission_follow_up": _pk("ap_submitted"),
    "authority:invitation": lambda w: dict(
        zip(
            ["uidb64", "token"],
            w.objects["ap_invitation_path"].strip("/").split("/")[-2:],
            strict=True,
        )
    ),
    "answers:detail": _pk("ap_submitted"),
    "answers:accept": _pk("ap_submitted"),
    "answers:clarify": _pk("ap_submitted"),
    "answers:evidence": lambda w: {
        "pk": w.objects["ap_submitted"].pk,
        "evidence_pk": w.objects["ap_evidence"].pk,
    },
    "answers:account_detail": _pk("ap_invited"),
    "answers:account_deactivate": _pk("ap_invited"),
    "answers:account_invite": _pk("ap_invited"),
    "visits:dispatch_share": lambda w: {
        "pk": w.objects["ap_dispatch"].report.visit_id,
        "dispatch_pk": w.objects["ap_dispatch"].pk,
    },
}


def _issued_report(visit: Visit, title: str, issued_on: dt.date) -> Report:
    report = ReportFactory(visit=visit, title=title)
    report.public_pdf.save("public.pdf", ContentFile(PUBLIC_PDF), save=False)
    report.public_pdf_sha256 = hashlib.sha256(PUBLIC_PDF).hexdigest()
    report.status = Report.Status.ISSUED
    report.issued_at = timezone.now() - (timezone.localdate() - issued_on)
    report.issued_on = issued_on
    report.save()
    return report


def _dispatch(report: Report, authority, sent_on: dt.date):
    return dispatch_record(
        report=report,
        authority=authority,
        sent_on=sent_on,
        reference=f"AP-D-{authority.pk}",
        channel="post",
        by=None,
    )


def _account(authority, function, username: str) -> AuthorityAccount:
    user = UserFactory(username=username, roles=[Role.AUTHORITY], email=f"{username}@example.org")
    return AuthorityAccount.objects.create(user=user, authority=authority, function=function)


def extend_world(world) -> None:
    today = timezone.localdate()
    issued_on = today - dt.timedelta(days=40)
    sent_on = issued_on + dt.timedelta(days=2)
    Function = AuthorityAccount.Function

    ministry = AuthorityFactory(name="AP Ministry of Justice", kind="ministry")
    institution = AuthorityFactory(
        name="AP District Prison Niš", kind="institution", parent=ministry
    )
    other = AuthorityFactory(name="AP Ministry of Health", kind="ministry")

    # Report AP-1: the institution's (and so the ministry's).
    start = timezone.now() - dt.timedelta(days=60)
    visit = VisitFactory(
        place=PlaceFactory(name="AP District Prison Niš", authority=institution),
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        status=Visit.Status.REPORTING,
    )
    rec_1 = RecommendationFactory(
        visit=visit,
        number=1,
        text=f"Repair the heating in the cells ({OWN_REC_MARKER}).",
        addressees=[institution, ministry],
    )
    rec_2 = RecommendationFactory(
        visit=visit,
        number=2,
        text="Keep the register of disciplinary measures complete.",
        addressees=[institution, ministry],
    )
    rec_only_other = RecommendationFactory(
        visit=visit,
        number=3,
        text=f"Employ a second physician ({ONLY_OTHER_AUTHORITY_MARKER}).",
        addressees=[other],
    )
    report = _issued_report(visit, "AP-1 Visit to the District Prison Niš", issued_on)
    ReportSectionFactory(report=report, title="Findings", body="Public findings text.", order=1)
    ReportSectionFactory(
        report=report,
        title="Identities",
        body=f"Confidential {CONFIDENTIAL_SECTION_MARKER}",
        confidential=True,
        order=2,
    )
    dispatch = _dispatch(report, institution, sent_on)
    _dispatch(report, ministry, sent_on)

    # Report AP-2: the unrelated authority's only.
    start = timezone.now() - dt.timedelta(days=70)
    other_visit = VisitFactory(
        place=PlaceFactory(name="AP Special Hospital", authority=other),
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        status=Visit.Status.REPORTING,
    )
    other_rec = RecommendationFactory(
        visit=other_visit,
        number=1,
        text=f"Record every use of restraint ({OTHER_OWN_REC_MARKER}).",
        addressees=[other],
    )
    undispatched = RecommendationFactory(
        visit=other_visit,
        number=2,
        text=f"Transfer patients from the prison promptly ({UNDISPATCHED_MARKER}).",
        addressees=[institution],
    )
    other_report = _issued_report(other_visit, "AP-2 Visit to the Special Hospital", issued_on)
    _dispatch(other_report, other, sent_on)
    for row in (rec_1, rec_2, rec_only_other, other_rec, undispatched):
        row.refresh_from_db()

    focal = _account(institution, Function.FOCAL_POINT, "ap-focal")
    validator = _account(institution, Function.VALIDATOR, "ap-validator")
    invited = _account(institution, Function.ALTERNATE, "ap-invited")
    other_focal = _account(other, Function.FOCAL_POINT, "ap-other-focal")

    # The institution's submitted answer to recommendation 1, with evidence; then its draft.
    submitted = services.submission_start(visit=visit, by=focal.user)
    answer = services.answer_save(
        submission=submitted,
        recommendation=rec_1,
        position="accepted",
        stated_status="in_progress",
        measures="New radiators are ordered.",
        promised_by=today + dt.timedelta(days=90),
        by=focal.user,
    )
    evidence = services.evidence_add(
        answer=answer, upload=SimpleUploadedFile("order.pdf", PDF), by=focal.user
    )
    services.submission_send(submission=submitted, by=focal.user)
    submitted = services.submission_sign_off(submission=submitted, by=validator.user)
    letter = submitted.letter
    letter.note = f"Note {LETTER_NOTE_MARKER}"
    letter.save(update_fields=["note"])
    AssessmentFactory(
        recommendation=rec_1,
        status="in_progress",
        assessed_on=today,
        note=f"Note {ASSESSMENT_NOTE_MARKER}",
    )
    draft = services.submission_start(visit=visit, by=focal.user)
    draft_answer = services.answer_save(
        submission=draft,
        recommendation=rec_2,
        position="partly",
        stated_status="in_progress",
        measures="The register is being reviewed.",
        promised_by=today + dt.timedelta(days=60),
        by=focal.user,
    )
    draft_evidence = services.evidence_add(
        answer=draft_answer, upload=SimpleUploadedFile("register.pdf", PDF), by=focal.user
    )
    # The unrelated authority's draft.
    other_draft = services.submission_start(visit=other_visit, by=other_focal.user)
    other_answer = services.answer_save(
        submission=other_draft,
        recommendation=other_rec,
        position="accepted",
        stated_status="implemented",
        measures="A restraint register is kept.",
        by=other_focal.user,
    )
    other_evidence = services.evidence_add(
        answer=other_answer, upload=SimpleUploadedFile("restraint.pdf", PDF), by=other_focal.user
    )
    escalation = Escalation.objects.create(
        recommendation=rec_2,
        authority=institution,
        escalated_to=ministry,
        escalated_on=today,
        days_overdue=31,
    )

    clients = {}
    for key, account in (("focal", focal), ("validator", validator), ("other", other_focal)):
        clients[key] = Client()
        clients[key].force_login(account.user)
    world.objects.update(
        {
            "ap_ministry": ministry,
            "ap_institution": institution,
            "ap_other_authority": other,
            "ap_visit": visit,
            "ap_report": report,
            "ap_dispatch": dispatch,
            "ap_rec_1": rec_1,
            "ap_rec_2": rec_2,
            "ap_rec_only_other": rec_only_other,
            "ap_other_visit": other_visit,
            "ap_other_report": other_report,
            "ap_other_rec": other_rec,
            "ap_undispatched_rec": undispatched,
            "ap_focal": focal,
            "ap_validator": validator,
            "ap_invited": invited,
            "ap_other_focal": other_focal,
            "ap_invitation_path": invitation_path(invited.user),
            "ap_submitted": submitted,
            "ap_answer": answer,
            "ap_evidence": evidence,
            "ap_letter": letter,
            "ap_draft": draft,
            "ap_draft_answer": draft_answer,
            "ap_draft_evidence": draft_evidence,
            "ap_other_draft": other_draft,
            "ap_other_answer": other_answer,
            "ap_other_evidence": other_evidence,
            "ap_escalation": escalation,
            "ap_clients": clients,
        }
    )
