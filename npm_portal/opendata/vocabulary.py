"""Our vocabulary mapped, once, to the one international trackers use: OHCHR's Universal Human
Rights Index (UHRI) themes and the implementation statuses of National Recommendations Tracking
Databases (NRTD), and the SDG 16 targets a theme serves.

The mapping is the NPM's reading, not the OHCHR's: a theme maps to the UHRI themes a UN body
would index a recommendation of that kind under. Every seeded theme code must be here (a test
fails otherwise); a theme added later in the admin maps to nothing until it is added.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from recommendations.models import Status

# UHRI themes (their English names as the Index spells them).
TORTURE = "Torture and other cruel, inhuman or degrading treatment"
DETENTION = "Conditions of detention"
JUSTICE = "Administration of justice & fair trial"
HEALTH = "Right to health"
LIBERTY = "Liberty and security of the person"
LIFE = "Right to life"
REMEDY = "Right to an effective remedy"
IMPUNITY = "Impunity"
EDUCATION = "Human rights education & training"
NON_DISCRIMINATION = "Equality & non-discrimination"
DISABILITIES = "Persons with disabilities"
CHILDREN = "Children's rights"
WOMEN = "Women's rights"
MIGRANTS = "Migrants"
ASYLUM = "Asylum-seekers & refugees"
FOOD = "Right to food"
WATER = "Right to water & sanitation"
FAMILY = "Right to family life"
INSTITUTIONS = "Institutions & policies"

UHRI_THEMES: dict[str, object] = {
    TORTURE: _("Torture and other cruel, inhuman or degrading treatment"),
    DETENTION: _("Conditions of detention"),
    JUSTICE: _("Administration of justice and fair trial"),
    HEALTH: _("Right to health"),
    LIBERTY: _("Liberty and security of the person"),
    LIFE: _("Right to life"),
    REMEDY: _("Right to an effective remedy"),
    IMPUNITY: _("Impunity"),
    EDUCATION: _("Human rights education and training"),
    NON_DISCRIMINATION: _("Equality and non-discrimination"),
    DISABILITIES: _("Persons with disabilities"),
    CHILDREN: _("Children's rights"),
    WOMEN: _("Women's rights"),
    MIGRANTS: _("Migrants"),
    ASYLUM: _("Asylum-seekers and refugees"),
    FOOD: _("Right to food"),
    WATER: _("Right to water and sanitation"),
    FAMILY: _("Right to family life"),
    INSTITUTIONS: _("Institutions and policies"),
}

# SDG 16 targets (the UN's wording, shortened where long).
SDG_TARGETS: dict[str, object] = {
    "16.1": _("Significantly reduce all forms of violence and related death rates everywhere"),
    "16.2": _(
        "End abuse, exploitation, trafficking and all forms of violence against and "
        "torture of children"
    ),
    "16.3": _("Promote the rule of law and ensure equal access to justice for all"),
    "16.6": _("Develop effective, accountable and transparent institutions at all levels"),
    "16.10": _("Ensure public access to information and protect fundamental freedoms"),
    "16.a": _(
        "Strengthen relevant national institutions to prevent violence and combat "
        "terrorism and crime"
    ),
    "16.b": _("Promote and enforce non-discriminatory laws and policies"),
}

# Our theme code → (UHRI themes, SDG targets). The codes are those seeded by
# visits/migrations/0002_seed_themes.py.
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ill-treatment": ((TORTURE,), ("16.1", "16.10", "16.a")),
    "use-of-force": ((TORTURE, LIBERTY), ("16.1", "16.a")),
    "legal-safeguards": ((JUSTICE, LIBERTY), ("16.3",)),
    "registers": ((JUSTICE, DETENTION), ("16.3", "16.6")),
    "material-conditions": ((DETENTION,), ()),
    "food-hygiene": ((DETENTION, FOOD, WATER), ()),
    "health-care": ((HEALTH, DETENTION, TORTURE), ("16.3",)),
    "mental-health": ((HEALTH, DISABILITIES), ()),
    "regime": ((DETENTION,), ()),
    "outside-contact": ((DETENTION, FAMILY), ("16.10",)),
    "discipline": ((DETENTION, TORTURE), ("16.3",)),
    "complaints": ((REMEDY, IMPUNITY), ("16.3", "16.6", "16.a")),
    "staff-training": ((EDUCATION, INSTITUTIONS), ("16.6", "16.a")),
    "vulnerable-groups": (
        (NON_DISCRIMINATION, DISABILITIES, CHILDREN, WOMEN, MIGRANTS),
        ("16.2", "16.b"),
    ),
    "deaths-incidents": ((LIFE, IMPUNITY), ("16.1", "16.3")),
    "return-preparation": ((MIGRANTS, ASYLUM, JUSTICE), ("16.3",)),
    "return-transfer": ((MIGRANTS, TORTURE), ("16.1",)),
    "return-in-flight": ((MIGRANTS, TORTURE, HEALTH), ("16.1",)),
    "return-hand-over": ((MIGRANTS, ASYLUM), ("16.3",)),
}

# NRTD implementation statuses.
IMPLEMENTED = "Implemented"
PARTIALLY = "Partially implemented"
NOT_IMPLEMENTED = "Not implemented"
NOT_ASSESSED = "Not assessed"

NRTD_STATUSES: dict[str, object] = {
    IMPLEMENTED: _("Implemented"),
    PARTIALLY: _("Partially implemented"),
    NOT_IMPLEMENTED: _("Not implemented"),
    NOT_ASSESSED: _("Not assessed"),
}

# Our status → NRTD status. Lossy on purpose (our `status` keeps the detail): work under way is
# partial implementation; a rejection is non-implementation; until the NPM has assessed an answer,
# or when the recommendation no longer applies, there is no assessment to report.
STATUSES: dict[str, str] = {
    Status.AWAITING_RESPONSE: NOT_ASSESSED,
    Status.RESPONSE_RECEIVED: NOT_ASSESSED,
    Status.IMPLEMENTED: IMPLEMENTED,
    Status.PARTIALLY_IMPLEMENTED: PARTIALLY,
    Status.IN_PROGRESS: PARTIALLY,
    Status.NOT_IMPLEMENTED: NOT_IMPLEMENTED,
    Status.REJECTED: NOT_IMPLEMENTED,
    Status.NO_LONGER_APPLICABLE: NOT_ASSESSED,
}

# Our fields → the UHRI / NRTD concept they carry (the data dictionary and docs/open-data.md).
FIELDS: list[tuple[str, str, object]] = [
    ("text", "Recommendation", _("The text of the recommendation.")),
    (
        "reference",
        "Recommendation reference (document and paragraph)",
        _("The report's reference and the recommendation's number in it."),
    ),
    ("report.reference", "Source document", _("The issued report that made it.")),
    ("issued_on", "Date of the document", _("The day the report was issued.")),
    (
        "addressees",
        "State body/institution",
        _("The institutions and ministries the recommendation is addressed to."),
    ),
    ("uhri_themes", "Theme", _("UHRI themes of the recommendation's theme (theme.code).")),
    ("sdg_targets", "SDG targets", _("SDG 16 targets of the recommendation's theme.")),
    ("nrtd_status", "Implementation status", _("The NRTD status of our status.")),
    (
        "place.category",
        "Affected persons",
        _("Persons deprived of their liberty, in this kind of place."),
    ),
]
# The recommending mechanism, for trackers that record who made a recommendation.
MECHANISM = "National Preventive Mechanism (OPCAT)"


def uhri_themes(theme_code: str | None) -> list[str]:
    return list(THEMES.get(theme_code or "", ((), ()))[0])


def sdg_targets(theme_code: str | None) -> list[str]:
    return list(THEMES.get(theme_code or "", ((), ()))[1])


def nrtd_status(status: str) -> str:
    return STATUSES.get(status, NOT_ASSESSED)
