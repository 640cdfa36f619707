"""What the demo teams recorded on their visits beyond findings: the forced-return operation and
its findings per phase, interviews (with identities and reprisal follow-ups). Called by the visits
loader; creates only what is missing.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Max

from visits.models import Finding, FollowUp, Interview, InterviewIdentity, ReturnOperation, Visit

KIND = Visit.Kind
S = Visit.Status

INTERVIEWS = [
    # (place of the visit, interviewee, allegation, consent, reprisal risk, notes, identity)
    (
        "Correctional Institution for Women Požarevac",
        "detainee",
        False,
        "anonymised",
        "low",
        "Waited four months for a gynaecological examination.",
        {"full_name": "Jelena Đ.", "date_of_birth": "1988-02-11", "location": "Pavilion B, room 4"},
    ),
    (
        "Special Hospital for Psychiatric Diseases Gornja Toponica",
        "detainee",
        True,
        "none",
        "high",
        "Says he was tied to the bed for three days after arguing with a nurse.",
        {"full_name": "Marko P.", "date_of_birth": "1975-09-30", "location": "Ward 7, bed 12"},
    ),
    (
        "Special Hospital for Psychiatric Diseases Gornja Toponica",
        "medical",
        False,
        "authority",
        "none",
        "Head nurse: not enough staff on night shifts.",
        {},
    ),
    (
        "Police Department Kruševac",
        "detainee",
        True,
        "anonymised",
        "none",
        "Says he was slapped at arrest; no visible injuries.",
        {"location": "Cell 2"},
    ),
]


def load(*, places: dict, themes: dict, staff, created: Counter) -> None:
    """Add what is missing, counting it in the visits loader's `created`."""
    # The forced-return operation and its findings per phase.
    airport = Visit.objects.filter(
        place=places["Belgrade Nikola Tesla Airport transit zone"], kind=KIND.FORCED_RETURN
    ).first()
    if airport:
        _op, was = ReturnOperation.objects.get_or_create(
            visit=airport,
            defaults={
                "kind": ReturnOperation.Kind.JOINT_FRONTEX,
                "organising_state": "Germany",
                "destination_state": "Serbia",
                "means": ReturnOperation.Means.AIR,
                "returnees_men": 31,
                "returnees_women": 9,
                "returnees_children": 14,
                "escorts": 62,
                "phases": ["boarding", "in_flight", "hand_over"],
            },
        )
        created["return operations"] += was
        for code, phase, text, coercive, medical in [
            (
                "return-in-flight",
                "in_flight",
                "Two returnees kept in restraints for the whole flight.",
                "Velcro cuffs on two men",
                "",
            ),
            (
                "return-hand-over",
                "hand_over",
                "Families with children handed over without information on reception.",
                "",
                "One child with fever, not seen by a doctor",
            ),
        ]:
            _f, was = Finding.objects.get_or_create(
                visit=airport,
                theme=themes[code],
                phase=phase,
                defaults={
                    "kind": "concern",
                    "text": text,
                    "coercive_measures": coercive,
                    "medical_issues": medical,
                    "created_by": staff,
                },
            )
            created["findings"] += was

    for place_name, interviewee, allegation, consent, risk, notes, identity in INTERVIEWS:
        visit = (
            Visit.objects.filter(place=places[place_name])
            .exclude(status__in=[S.PLANNED, S.CANCELLED])
            # Later loaders add follow-up visits; the interviews belong to the visit itself.
            .exclude(kind=KIND.FOLLOW_UP)
            .order_by("-planned_start")
            .first()
        )
        if visit is None:
            continue
        # Notes are encrypted (a new token each time): compare them after decryption.
        interview = next((i for i in visit.interviews.all() if i.notes == notes), None)
        if interview is None:
            sequence = (visit.interviews.aggregate(n=Max("sequence"))["n"] or 0) + 1
            interview, was = Interview.objects.get_or_create(
                visit=visit,
                sequence=sequence,
                defaults={
                    "code": f"{visit.reference}-I{sequence:02d}",
                    "interviewee": interviewee,
                    "allegation": allegation,
                    "consent": consent,
                    "reprisal_risk": risk,
                    "notes": notes,
                    "created_by": staff,
                },
            )
            created["interviews"] += was
        if identity:
            _i, was = InterviewIdentity.objects.get_or_create(
                interview=interview, defaults=identity
            )
            created["interviewee identities"] += was
        if risk == "high":
            _fu, was = FollowUp.objects.get_or_create(
                interview=interview,
                defaults={
                    "place": visit.place,
                    "visit": visit,
                    "description": f"High risk of reprisals after interview {interview.code}: "
                    "check on the interviewee's situation.",
                },
            )
            created["follow-up items"] += was
