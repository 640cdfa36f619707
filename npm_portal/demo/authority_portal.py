"""The authority portal's demo: users of two authorities and of the Ministry of Interior, their
answers in every state, and escalated recommendations.

- Police Administration Kruševac (runs Police Department Kruševac; under the Police Directorate,
  under the Ministry of Interior): a focal point and a validating authority. A recent visit's
  report (issued about four months before the load) was dispatched to it, to the Ministry and,
  for one systemic recommendation, to the Police Directorate. The administration answered two
  recommendations through the portal; compliance accepted the submission and assessed one
  recommendation with a progress judgement. One recommendation to the administration and the
  one to the Police Directorate stay unanswered: both are escalated when the demo loads (the
  Directorate's to the Ministry of Interior, whose demo user gets the mail).
- Administration for Enforcement of Penal Sanctions: a focal point, an alternate and a
  validating authority. Its answer on the 2019 Novi Sad report was submitted and compliance
  asked a question; its answer on the 2025 Sremska Mitrovica report waits for sign-off.

Everything goes through the services a user's clicks would call, dated the day the demo is
loaded (the services date a submission "today"); only the new report's dates are in the past.
Idempotent: what exists already is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from npm_portal.authority_portal import reminders, services
from npm_portal.authority_portal.models import AuthorityAccount, Escalation, Submission
from recommendations import services as recommendation_services
from recommendations.models import Assessment, Progress, Recommendation
from visits import services as visit_services
from visits.models import Authority, Place, Report, ReportStatus, TeamMember, Theme, Visit
from visits.models.visit import LOCAL_ZONE

from .recommendations import issue_and_follow_up, recommendations_of, visit_for
from .reports import _accept_all, _write_sections
from .users import DEMO_PASSWORD

F = AuthorityAccount.Function
P = Recommendation.Priority
S = Recommendation.Status

KRUSEVAC_ADMINISTRATION = "Police Administration Kruševac"
POLICE_DIRECTORATE = "Police Directorate"
INTERIOR = "Ministry of Interior"
UIKS = "Administration for Enforcement of Penal Sanctions"

# (username, first name, last name, gender, authority, function, position)
AUTHORITY_USERS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "krusevac-focal",
        "Dragana",
        "Popović",
        "female",
        KRUSEVAC_ADMINISTRATION,
        F.FOCAL_POINT,
        "Head of the legal affairs unit",
    ),
    (
        "krusevac-validator",
        "Zoran",
        "Stojanović",
        "male",
        KRUSEVAC_ADMINISTRATION,
        F.VALIDATOR,
        "Chief of the Police Administration",
    ),
    ("uiks-focal", "Milica", "Đorđević", "female", UIKS, F.FOCAL_POINT, "Inspector"),
    ("uiks-alternate", "Stefan", "Nikolić", "male", UIKS, F.ALTERNATE, "Senior adviser"),
    ("uiks-validator", "Vesna", "Lazić", "female", UIKS, F.VALIDATOR, "Director"),
    ("mup", "Dejan", "Ristić", "male", INTERIOR, F.VALIDATOR, "Secretary of the Ministry"),
]

KRUSEVAC_PLACE = "Police Department Kruševac"
# Keys the recent visit (its date moves with the day of the first load).
# A follow-up visit (it checks the 2014 recommendations and makes new ones): the demo's
# interviews stay with the original visit, which `visit_records` finds as the place's latest
# visit that is not a follow-up.
KRUSEVAC_PURPOSE = "Follow-up visit (demo): the 2014 recommendations checked, new concerns raised."
KRUSEVAC_RECENT = {
    "place": KRUSEVAC_PLACE,
    "state": ReportStatus.ISSUED,
    "issued_days_ago": 130,
    "dispatched_days_ago": 128,
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Repair the call bells of both detention rooms and record every call and the time "
            "it was answered.",
        ),
        (
            "legal-safeguards",
            P.NORMAL,
            True,
            "institution",
            "Hand every detained person the written notice of rights on arrival and record "
            "the time it was handed over.",
        ),
        (
            "health-care",
            P.NORMAL,
            False,
            "institution",
            "Record injuries observed on admission in a dedicated register and inform the "
            "competent public prosecutor of each one.",
        ),
    ],
}
# Addressed to the Police Directorate (dispatched to it as well): all police administrations.
DIRECTORATE_RECOMMENDATION = (
    "registers",
    "Issue an instruction to all police administrations on recording in the detention "
    "register the time of arrival, of every transfer and of release.",
)

NOVI_SAD = ("District Prison in Novi Sad", 2019)
SREMSKA_MITROVICA = ("Correctional Institution Sremska Mitrovica", 2025)


def _accounts(created: Counter) -> dict[str, AuthorityAccount]:
    authorities = {
        a.name: a for a in Authority.objects.filter(name__in={u[4] for u in AUTHORITY_USERS})
    }
    group = Group.objects.get(name=Role.AUTHORITY.value)
    user_model = get_user_model()
    accounts = {}
    for username, first, last, gender, authority_name, function, position in AUTHORITY_USERS:
        authority = authorities.get(authority_name)
        if authority is None:
            continue
        user, was_created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "gender": gender,
                "email": f"{username}@authority.example.org",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(group)
            created["authority users"] += 1
        account = AuthorityAccount.objects.filter(user=user).first()
        if account is None:
            account = AuthorityAccount.objects.create(
                user=user, authority=authority, function=function, position=position
            )
        accounts[username] = account
    return accounts


def _krusevac_report(people, created: Counter) -> Visit | None:
    """The recent Kruševac (follow-up) visit with its issued report, dispatched about four
    months ago."""
    place = Place.objects.filter(name=KRUSEVAC_PLACE).first()
    directorate = Authority.objects.filter(name=POLICE_DIRECTORATE).first()
    if place is None or directorate is None:
        return None
    visit = Visit.objects.filter(place=place, purpose=KRUSEVAC_PURPOSE).first()
    if visit is not None:
        return visit
    staff, head = people["staff"], people["head"]
    today = timezone.localdate()
    day = today - dt.timedelta(days=200)
    start = dt.datetime(day.year, day.month, day.day, 22, 0, tzinfo=LOCAL_ZONE)
    end = start + dt.timedelta(hours=4)
    last = Visit.objects.filter(year=start.year).order_by("-number").first()
    visit = Visit.objects.create(
        place=place,
        year=start.year,
        number=(last.number if last else 0) + 1,
        kind=Visit.Kind.FOLLOW_UP,
        announced=False,
        planned_start=start,
        planned_end=end,
        actual_start=start,
        actual_end=end,
        status=Visit.Status.REPORTING,
        purpose=KRUSEVAC_PURPOSE,
        created_by=staff,
    )
    TeamMember.objects.create(visit=visit, user=staff, role=TeamMember.Role.HEAD)
    created["visits"] += 1
    report = visit_services.report_create(visit=visit, by=staff)
    created["reports"] += 1
    numbered = recommendations_of(visit, KRUSEVAC_RECENT, people, created)
    theme, text = DIRECTORATE_RECOMMENDATION
    systemic = recommendation_services.recommendation_create(
        visit=visit,
        text=text,
        theme=Theme.objects.filter(code=theme).first(),
        addressees=[directorate],
        priority=P.NORMAL,
        public=True,
        by=staff,
    )
    numbered[systemic.number] = systemic
    created["recommendations"] += 1
    _write_sections(report, people, KRUSEVAC_RECENT)
    _accept_all(report, people)
    visit_services.report_submit_for_review(report=report, by=staff)
    visit_services.report_approve(report=report, by=head)
    issue_and_follow_up(report, KRUSEVAC_RECENT, people, numbered, created)
    report = Report.objects.get(pk=report.pk)
    visit_services.dispatch_record(
        report=report,
        authority=directorate,
        sent_on=today - dt.timedelta(days=KRUSEVAC_RECENT["dispatched_days_ago"]),
        reference=f"{report.reference}/3",
        channel="post",
        by=staff,
    )
    return Visit.objects.get(pk=visit.pk)


def _answer(submission, recommendation, by, **answer) -> None:
    submission.refresh_from_db()
    services.answer_save(submission=submission, recommendation=recommendation, by=by, **answer)


def _krusevac_submitted(visit: Visit, accounts, compliance, created: Counter) -> None:
    """Answered, signed off and submitted; accepted, and one recommendation assessed."""
    focal, validator = accounts["krusevac-focal"], accounts["krusevac-validator"]
    if Submission.objects.filter(authority=focal.authority, visit=visit).exists():
        return
    recs = {r.number: r for r in visit.recommendations.all()}
    submission = services.submission_start(visit=visit, by=focal.user)
    _answer(
        submission,
        recs[1],
        focal.user,
        position="accepted",
        stated_status=S.IN_PROGRESS,
        measures="New call bells are ordered; until they are fitted an officer checks the "
        "detention rooms every 30 minutes and records each check.",
        promised_by=timezone.localdate() + dt.timedelta(days=90),
    )
    _answer(
        submission,
        recs[2],
        focal.user,
        position="accepted",
        stated_status=S.IMPLEMENTED,
        measures="The notice of rights is handed over on arrival; the register has a column "
        "for the time it was handed over, signed by the detained person.",
        promised_by=None,
    )
    submission = _send_and_sign_off(submission, focal, validator, created)
    services.submission_accept(submission=submission, by=compliance)
    recommendation_services.assessment_record(
        recommendation=recs[1],
        status=S.IN_PROGRESS,
        basis=Assessment.Basis.RESPONSE,
        response=submission.letter,
        assessed_on=timezone.localdate(),
        progress=Progress.REASONABLE,
        by=compliance,
    )
    created["assessments"] += 1


def _send_and_sign_off(submission, drafter, validator, created: Counter) -> Submission:
    """The drafter sends the draft for sign-off; the validating authority signs it off."""
    submission.refresh_from_db()
    services.submission_send(submission=submission, by=drafter.user)
    submission.refresh_from_db()
    created["submissions"] += 1
    return services.submission_sign_off(submission=submission, by=validator.user)


def _uiks_questioned(accounts, compliance, created: Counter) -> None:
    """The 2019 Novi Sad report: an update submitted; compliance asks a question."""
    visit = visit_for(*NOVI_SAD)
    focal, validator = accounts["uiks-focal"], accounts["uiks-validator"]
    if visit is None or Submission.objects.filter(authority=focal.authority, visit=visit).exists():
        return
    lawyers = visit.recommendations.filter(number=1).first()
    if lawyers is None or not lawyers.is_open:
        return
    submission = services.submission_start(visit=visit, by=focal.user)
    _answer(
        submission,
        lawyers,
        focal.user,
        position="accepted",
        stated_status=S.IMPLEMENTED,
        measures="The room for lawyers' visits is adapted and in use: lawyers and their "
        "clients talk out of the hearing of guards.",
        promised_by=None,
    )
    submission = _send_and_sign_off(submission, focal, validator, created)
    services.submission_request_clarification(
        submission=submission,
        question="Since when is the room in use, and how many lawyers' visits took place in it "
        "last month? Please attach the visits register's page.",
        by=compliance,
    )


def _uiks_awaiting_signoff(accounts, created: Counter) -> None:
    """The 2025 Sremska Mitrovica report: drafted by the alternate, waiting for sign-off."""
    visit = visit_for(*SREMSKA_MITROVICA)
    alternate = accounts["uiks-alternate"]
    if (
        visit is None
        or Submission.objects.filter(authority=alternate.authority, visit=visit).exists()
    ):
        return
    recs = {r.number: r for r in visit.recommendations.all()}
    if 2 not in recs or not recs[2].is_open:
        return
    submission = services.submission_start(visit=visit, by=alternate.user)
    _answer(
        submission,
        recs[2],
        alternate.user,
        position="partly",
        stated_status=S.IN_PROGRESS,
        measures="Placements in solitary confinement are now recorded in a separate register; "
        "the rules on their length are being revised with the institution's management.",
        promised_by=timezone.localdate() + dt.timedelta(days=60),
    )
    submission.refresh_from_db()
    services.submission_send(submission=submission, by=alternate.user)
    created["submissions"] += 1


@transaction.atomic
def load() -> dict[str, int]:
    created: Counter[str] = Counter(
        dict.fromkeys(["authority users", "submissions", "escalations"], 0)
    )
    users = get_user_model().objects.filter(username__in=["head", "staff", "compliance"])
    people = {u.username: u for u in users}
    people.update(
        {u.username: u for u in get_user_model().objects.filter(username__in=["partner"])}
    )
    if not all(people.get(k) for k in ("head", "staff", "compliance")):
        return dict(created)
    if not Authority.objects.filter(name=UIKS).exists():
        return dict(created)
    accounts = _accounts(created)
    compliance = people["compliance"]
    visit = _krusevac_report(people, created)
    if visit is not None and {"krusevac-focal", "krusevac-validator"} <= set(accounts):
        _krusevac_submitted(visit, accounts, compliance, created)
    if {"uiks-focal", "uiks-alternate", "uiks-validator"} <= set(accounts):
        _uiks_questioned(accounts, compliance, created)
        _uiks_awaiting_signoff(accounts, created)
    # Planned follow-up visits list the places' open recommendations, the new ones too.
    for planned in Visit.objects.filter(kind=Visit.Kind.FOLLOW_UP, status=Visit.Status.PLANNED):
        recommendation_services.follow_up_checklist_prefill(visit=planned)
    # The daily job, run now: what is overdue long enough is escalated (once).
    before = Escalation.objects.count()
    reminders.escalations_run()
    created["escalations"] += Escalation.objects.count() - before
    # Only this loader's own keys: load_demo merges every loader's counts by name.
    return {
        "authority users": created["authority users"],
        "answers submitted or sent through the portal": created["submissions"],
        "escalations": created["escalations"],
        "reports for the authority portal": created["reports"],
    }


def logins() -> list[tuple[str, str, str, str]]:
    """(username, authority, function, name) of the demo authority users."""
    return [
        (username, authority, F(function).label, f"{first} {last}")
        for username, first, last, _gender, authority, function, _position in AUTHORITY_USERS
    ]
