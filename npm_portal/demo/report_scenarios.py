"""The issued demo reports: what each recommends, the authorities' letters and the assessments.
The Kruševac case follows the seeds: a night visit in June 2014, a response in August 2014
complying with most recommendations but not renovating the detention premises for lack of
material resources, and in January 2015 two new detention rooms being equipped. The 2015
follow-up visit that verifies them, and the letters' reference numbers, are invented for the demo.
"""

from __future__ import annotations

import datetime as dt

from recommendations.models import Assessment, Recommendation
from visits.models import ReportStatus

S = Recommendation.Status
R = Recommendation.Reason
P = Recommendation.Priority
B = Assessment.Basis

# A recommendation: (theme code, priority, public, addressed to "institution" / "ministry" /
# "both", text). Numbers follow the order.
# Letters: (who, received on, reference, {number: (stated status, explanation, promised by)}).
# Assessments: (number, assessed on, status, reason, basis, note); basis "response" refers to
# the latest letter covering the recommendation.
KRUSEVAC = {
    "place": "Police Department Kruševac",
    "year": 2014,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2014, 7, 10),
    "dispatched_on": dt.date(2014, 7, 14),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Renovate the detention premises so that every room has access to natural light, "
            "artificial lighting sufficient for reading, ventilation, heating and a call bell.",
        ),
        (
            "legal-safeguards",
            P.NORMAL,
            True,
            "institution",
            "Inform every person deprived of liberty of their rights in writing, in a language "
            "they understand, from the very outset, and keep the signed acknowledgement in the "
            "case file.",
        ),
        (
            "registers",
            P.NORMAL,
            True,
            "institution",
            "Record in the detention register the time of every transfer, meal, visit of a "
            "doctor and lawyer, and of release.",
        ),
        (
            "health-care",
            P.NORMAL,
            False,
            "institution",
            "Ensure that detained persons who ask for a doctor or show injuries are examined "
            "without police officers present, and that injuries are recorded.",
        ),
        (
            "staff-training",
            P.NORMAL,
            True,
            "ministry",
            "Train police officers of the Department on the prohibition of ill-treatment and "
            "on the rights of detained persons.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2014, 8, 22),
            "01-236-4/14",
            {
                1: (
                    S.NOT_IMPLEMENTED,
                    "The detention premises could not be renovated for lack of material "
                    "resources; renovation is planned when funds are allocated.",
                    None,
                ),
                2: (S.IMPLEMENTED, "A written notice of rights in six languages is in use.", None),
                3: (S.IMPLEMENTED, "The register was amended as recommended.", None),
                4: (S.IMPLEMENTED, "An instruction to officers was issued.", None),
            },
        ),
        (
            "ministry",
            dt.date(2014, 9, 5),
            "072-1893/14",
            {
                1: (
                    S.IN_PROGRESS,
                    "Renovation of detention premises is in the Ministry's plan.",
                    dt.date(2015, 12, 31),
                ),
                5: (S.IMPLEMENTED, "The training was held in September 2014.", None),
            },
        ),
        (
            "institution",
            dt.date(2015, 1, 20),
            "01-236-11/15",
            {
                1: (
                    S.IN_PROGRESS,
                    "Two new detention rooms are being equipped in accordance with the "
                    "applicable standards.",
                    dt.date(2015, 4, 30),
                ),
            },
        ),
    ],
    "assessments": [
        (2, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, "Notice of rights seen."),
        (3, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (4, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (
            1,
            dt.date(2014, 9, 1),
            S.NOT_IMPLEMENTED,
            R.LACK_OF_FUNDS,
            B.RESPONSE,
            "Not renovated for lack of material resources.",
        ),
        (5, dt.date(2014, 9, 15), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (
            1,
            dt.date(2015, 1, 26),
            S.IN_PROGRESS,
            R.LACK_OF_INFRASTRUCTURE,
            B.RESPONSE,
            "Two new detention rooms being equipped.",
        ),
    ],
    # A follow-up visit verifies the two new rooms (invented for the demo).
    "follow_up": {
        "start": (2015, 6, 9, 10, 0),
        "checks": {
            1: (
                S.IMPLEMENTED,
                "Two new detention rooms in use: natural light, call bells, ventilation.",
            )
        },
    },
}

KRNJACA_2016 = {
    "place": "Asylum Centre Krnjača",
    "year": 2016,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2017, 2, 8),
    "dispatched_on": dt.date(2017, 2, 10),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Reduce overcrowding of the barracks and provide heating in every dormitory during "
            "the winter.",
        ),
        (
            "vulnerable-groups",
            P.URGENT,
            True,
            "institution",
            "Accommodate unaccompanied children separately from unrelated adults, with a "
            "guardian appointed without delay.",
        ),
        (
            "outside-contact",
            P.NORMAL,
            True,
            "institution",
            "Provide interpretation for residents in their contacts with the centre's staff and "
            "doctors.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2017, 3, 20),
            "019-44/17",
            {
                1: (
                    S.PARTIALLY_IMPLEMENTED,
                    "Heating installed in two barracks; no funds for the rest.",
                    None,
                ),
                2: (S.IMPLEMENTED, "A separate wing for children was opened.", None),
                3: (S.REJECTED, "Interpretation is the responsibility of NGOs.", None),
            },
        ),
    ],
    "assessments": [
        (1, dt.date(2017, 4, 3), S.PARTIALLY_IMPLEMENTED, R.LACK_OF_FUNDS, B.RESPONSE, ""),
        (2, dt.date(2017, 4, 3), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (3, dt.date(2017, 4, 3), S.REJECTED, R.AUTHORITY_DISAGREES, B.RESPONSE, ""),
    ],
}

SREMSKA_MITROVICA_2014 = {
    "place": "Correctional Institution Sremska Mitrovica",
    "year": 2014,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2015, 2, 2),
    "dispatched_on": dt.date(2015, 2, 4),
    "recommendations": [
        (
            "regime",
            P.NORMAL,
            True,
            "both",
            "Offer prisoners in the closed ward at least two hours of outdoor exercise and "
            "organised activities every day.",
        ),
        (
            "health-care",
            P.HIGH,
            False,
            "institution",
            "Close the basement infirmary and move its patients to the prison hospital.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2015, 4, 1),
            "4-112/15",
            {
                1: (S.NOT_IMPLEMENTED, "Not enough guards to supervise activities.", None),
                2: (S.NO_LONGER_APPLICABLE, "The basement infirmary was closed in 2015.", None),
            },
        ),
    ],
    "assessments": [
        (1, dt.date(2015, 4, 15), S.NOT_IMPLEMENTED, R.LACK_OF_STAFF, B.RESPONSE, ""),
        (2, dt.date(2015, 4, 15), S.NO_LONGER_APPLICABLE, "", B.RESPONSE, ""),
    ],
}

NOVI_SAD_2019 = {
    "place": "District Prison in Novi Sad",
    "year": 2019,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2019, 5, 6),
    "dispatched_on": dt.date(2019, 5, 9),
    "partner_sections": True,
    "recommendations": [
        (
            "legal-safeguards",
            P.NORMAL,
            True,
            "institution",
            "Allow remand prisoners to talk with their lawyers in private, out of the hearing of "
            "guards.",
        ),
        (
            "food-hygiene",
            P.NORMAL,
            True,
            "institution",
            "Provide prisoners with sufficient hygiene products free of charge.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2019, 7, 2),
            "2-301/19",
            {
                1: (S.IN_PROGRESS, "A room for lawyers is being adapted.", dt.date(2019, 12, 1)),
                2: (S.IMPLEMENTED, "Hygiene packages are handed out monthly.", None),
            },
        ),
    ],
    # No assessment yet: both stay "response received".
    "assessments": [],
}

NIS_2022 = {
    "place": "Police Administration Niš detention unit",
    "year": 2022,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2022, 5, 10),
    "dispatched_on": dt.date(2022, 5, 12),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Renovate the detention rooms so that each has access to natural light, "
            "ventilation and a call bell.",
        ),
        (
            "use-of-force",
            P.URGENT,
            True,
            "ministry",
            "Remove the metal rings fixed to the walls of the interview rooms and forbid "
            "attaching detained persons to fixed objects.",
        ),
    ],
    # Repeats: (number, place of the earlier visit, its year, its recommendation number).
    "repeats": [(1, "Police Department Kruševac", 2014, 1)],
    "letters": [
        (
            "institution",
            dt.date(2022, 6, 30),
            "03-778/22",
            {1: (S.NOT_IMPLEMENTED, "No funds for renovation in the 2022 budget.", None)},
        ),
    ],
    "assessments": [
        (1, dt.date(2022, 7, 11), S.NOT_IMPLEMENTED, R.LACK_OF_FUNDS, B.RESPONSE, ""),
    ],
}

LAZAREVIC_2023 = {
    "place": "Clinic for Psychiatric Diseases “Dr Laza Lazarević”",
    "year": 2023,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2023, 7, 3),
    "dispatched_on": dt.date(2023, 7, 5),
    "partner_sections": True,
    "recommendations": [
        (
            "use-of-force",
            P.HIGH,
            True,
            "both",
            "Record every use of mechanical restraint in a dedicated register, with its "
            "duration, the doctor who ordered it and the continuous supervision provided.",
        ),
        (
            "mental-health",
            P.NORMAL,
            True,
            "ministry",
            "Develop community-based services so that long-term patients can be discharged.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2023, 8, 28),
            "1520/23",
            {1: (S.IMPLEMENTED, "A restraint register was introduced in August 2023.", None)},
        ),
        (
            "ministry",
            dt.date(2023, 9, 12),
            "500-01-77/23",
            {2: (S.IN_PROGRESS, "A deinstitutionalisation strategy is being drafted.", None)},
        ),
    ],
    "assessments": [
        (1, dt.date(2023, 9, 20), S.IMPLEMENTED, "", B.RESPONSE, "Register seen in copy."),
        (2, dt.date(2023, 9, 20), S.IN_PROGRESS, R.LEGAL_CHANGE_NEEDED, B.RESPONSE, ""),
    ],
}

KRNJACA_2024 = {
    "place": "Asylum Centre Krnjača",
    "year": 2024,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2024, 8, 20),
    "dispatched_on": dt.date(2024, 8, 26),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Reduce overcrowding of the barracks and repair the heating of the dormitories "
            "before the winter.",
        ),
        (
            "vulnerable-groups",
            P.URGENT,
            False,
            "institution",
            "Identify victims of trafficking among new arrivals and refer them to the Centre "
            "for the Protection of Victims of Trafficking.",
        ),
    ],
    "repeats": [(1, "Asylum Centre Krnjača", 2016, 1)],
    # No answer: both overdue.
    "letters": [],
    "assessments": [],
}

# Relative to the day the demo is loaded: a response due within a week, an urgent one overdue.
SREMSKA_MITROVICA_2025 = {
    "place": "Correctional Institution Sremska Mitrovica",
    "year": 2025,
    "state": ReportStatus.ISSUED,
    "issued_days_ago": 56,
    "dispatched_days_ago": 53,
    "partner_sections": True,
    "recommendations": [
        (
            "regime",
            P.NORMAL,
            True,
            "both",
            "Offer prisoners in the closed ward at least two hours of outdoor exercise and "
            "organised activities every day.",
        ),
        (
            "discipline",
            P.URGENT,
            True,
            "institution",
            "Stop placing prisoners in solitary confinement for longer than the law allows and "
            "record every placement.",
        ),
    ],
    "repeats": [(1, "Correctional Institution Sremska Mitrovica", 2014, 1)],
    "letters": [],
    "assessments": [],
}
