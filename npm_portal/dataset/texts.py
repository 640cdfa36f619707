"""Texts of the generated dataset: recommendations by theme, authorities' explanations, report
sections, what a follow-up visit saw. Short and plausible, picked at random and combined."""

from __future__ import annotations

import random

# Recommendations by theme code (the codes of visits/migrations/0002_seed_themes.py).
RECOMMENDATIONS: dict[str, list[str]] = {
    "ill-treatment": [
        "Send a clear message to all staff that ill-treatment of persons deprived of liberty is "
        "unlawful and will be punished.",
        "Investigate promptly and effectively every allegation of ill-treatment.",
        "Refer every case of injuries consistent with ill-treatment to the public prosecutor.",
    ],
    "use-of-force": [
        "Record every use of force and of means of restraint in a dedicated register.",
        "Apply means of restraint only as a last resort and for the shortest time necessary.",
        "Have a doctor examine every person after force has been used against them.",
    ],
    "legal-safeguards": [
        "Inform every detained person of their rights from the very outset of deprivation of "
        "liberty, in a language they understand.",
        "Guarantee access to a lawyer from the first hour of police custody.",
        "Notify a relative or a person of trust of the detention without delay.",
    ],
    "registers": [
        "Keep complete and accurate custody registers, with the times of arrival and release.",
        "Record the reasons for and the duration of every placement in seclusion.",
        "Introduce an electronic register of detained persons.",
    ],
    "material-conditions": [
        "Ensure access to natural light and adequate ventilation in all cells.",
        "Reduce overcrowding so that each person has at least 4 m² of living space.",
        "Renovate the sanitary facilities and ensure privacy when they are used.",
    ],
    "food-hygiene": [
        "Provide three meals a day, including one hot meal, and drinking water at all times.",
        "Supply sufficient personal hygiene products free of charge.",
        "Ensure regular access to showers with hot water.",
    ],
    "health-care": [
        "Carry out a medical examination of every newly admitted person within 24 hours.",
        "Record injuries in detail, with the person's statement and the doctor's opinion.",
        "Guarantee medical confidentiality during examinations.",
    ],
    "mental-health": [
        "Draw up an individual treatment plan for every patient.",
        "Ensure that involuntary placement is reviewed by a court within the legal time limit.",
        "Provide psychosocial and occupational therapy activities.",
    ],
    "regime": [
        "Offer at least two hours of outdoor exercise every day.",
        "Develop a programme of purposeful activities, work and education.",
        "Allow persons held for long periods to spend more time outside their cells.",
    ],
    "outside-contact": [
        "Allow visits in conditions that respect privacy and family life.",
        "Enable regular telephone contact with family and lawyers.",
        "Provide access to correspondence without undue restrictions.",
    ],
    "discipline": [
        "Ensure that disciplinary procedures respect the right to be heard and to appeal.",
        "Limit solitary confinement to the shortest possible time and never impose it on "
        "juveniles.",
        "Inform persons in writing of disciplinary decisions and of the way to appeal.",
    ],
    "complaints": [
        "Put in place a confidential complaints procedure known to all persons held.",
        "Install complaint boxes that only the management and the inspection can open.",
        "Reply to complaints in writing within a set time limit.",
    ],
    "staff-training": [
        "Increase the number of staff to the level the establishment requires.",
        "Train staff in de-escalation and the prevention of ill-treatment.",
        "Provide regular supervision and psychological support to staff.",
    ],
    "vulnerable-groups": [
        "Hold women separately from men and ensure female staff are present.",
        "Identify persons with disabilities and make reasonable accommodation for them.",
        "Ensure that unaccompanied children are appointed a guardian without delay.",
    ],
    "deaths-incidents": [
        "Notify the NPM and the prosecutor of every death in custody without delay.",
        "Carry out an independent investigation of every serious incident.",
        "Analyse incidents to prevent their recurrence and share the lessons learned.",
    ],
    "return-preparation": [
        "Inform returnees of the date of their removal in good time.",
        "Carry out a fitness-to-travel examination before every forced return.",
    ],
    "return-transfer": [
        "Use vehicles adapted to the transport of persons, with seats and ventilation.",
        "Ensure returnees are not handcuffed during the transfer without an individual assessment.",
    ],
    "return-in-flight": [
        "Ensure escorts wear identification numbers during the flight.",
        "Allow returnees access to the toilet and to drinking water during the flight.",
    ],
    "return-hand-over": [
        "Hand over returnees' belongings and documents at the hand-over.",
        "Record the hand-over to the authorities of the destination state.",
    ],
}
QUALIFIERS = [
    "",
    "Inform the NPM of the measures taken.",
    "Do so without delay.",
    "Do so within six months.",
    "Provide the necessary funds in the next budget.",
    "Adopt written instructions to this effect.",
    "The NPM repeats this recommendation from its earlier visit.",
]

EXPLANATIONS: dict[str, list[str]] = {
    "implemented": [
        "The measure has been carried out; the instruction is attached.",
        "Implemented in full. Staff have been informed.",
        "The works were completed and the premises are in use.",
    ],
    "partially_implemented": [
        "Part of the measure has been carried out; the rest awaits funding.",
        "Implemented in two of the three units.",
    ],
    "in_progress": [
        "A working group has been formed and will report by the end of the year.",
        "The tender for the works is under way.",
        "The instruction is being drafted.",
    ],
    "not_implemented": [
        "There are no funds for this measure this year.",
        "The measure cannot be implemented without additional staff.",
    ],
    "rejected": [
        "The authority considers that the current practice complies with the law.",
        "The measure is outside the competence of this authority.",
    ],
    "no_longer_applicable": [
        "The unit has been closed.",
        "The premises are no longer used to hold persons.",
    ],
}

OBSERVATIONS: dict[str, list[str]] = {
    "implemented": [
        "Seen on site: the measure is in place and applied.",
        "The register is kept as recommended; entries checked for the last three months.",
    ],
    "partially_implemented": [
        "Seen on site: works done in one wing only.",
        "The instruction exists but staff are not aware of it.",
    ],
    "in_progress": ["Works under way at the time of the visit."],
    "not_implemented": [
        "Nothing has changed since the earlier visit.",
        "The situation is as described in the earlier report.",
    ],
    "no_longer_applicable": ["The unit concerned is closed."],
    "rejected": ["The management maintains its position."],
}

SECTION_TEXTS: dict[str, str] = {
    "introduction": (
        "The visit was carried out by the National Preventive Mechanism under the Optional "
        "Protocol to the Convention against Torture. The team interviewed persons deprived of "
        "liberty and staff in private, examined the registers and toured the premises of "
        "{place}."
    ),
    "place": (
        "{place} has an official capacity of {capacity}. The team recorded the number of "
        "persons held on the day of the visit, among them women, minors and foreigners."
    ),
    "findings": (
        "The team examined {theme} at {place}. The persons interviewed described the practice "
        "and the team checked it against the documentation kept by the establishment."
    ),
    "good_practice": (
        "The management of {place} co-operated fully with the team, and access to all premises "
        "and documents was granted without delay."
    ),
    "recommendations": (
        "The recommendations below are addressed to the management of {place} and to the "
        "responsible ministry, which are asked to reply within the legal time limit."
    ),
}
SECTION_TITLES: dict[str, str] = {
    "introduction": "Introduction and methodology",
    "place": "The place and its population",
    "good_practice": "Good practices",
    "recommendations": "Recommendations",
}
REVIEW_COMMENTS = [
    "Please add the figures from the register.",
    "Shorten this section and move the details to the annex.",
    "Check the dates against the custody register.",
]

PURPOSES: dict[str, str] = {
    "regular": "Regular visit: treatment, material conditions and legal safeguards.",
    "follow_up": "Follow-up of the recommendations of the earlier visit.",
    "ad_hoc": "Ad hoc visit after allegations of ill-treatment reported in the media.",
    "thematic": "Thematic visit: health care and the recording of injuries.",
    "joint": "Joint visit: treatment of persons deprived of liberty.",
    "forced_return": "Monitoring of a forced-return operation.",
}
CANCEL_REASONS = [
    "The team leader fell ill; the visit will be rescheduled.",
    "The establishment was evacuated because of flooding.",
    "Postponed at the request of the partner organisation's experts.",
]


def recommendation_text(rng: random.Random, theme_code: str) -> str:
    sentence = rng.choice(RECOMMENDATIONS.get(theme_code) or RECOMMENDATIONS["ill-treatment"])
    qualifier = rng.choice(QUALIFIERS)
    return f"{sentence} {qualifier}".strip()
