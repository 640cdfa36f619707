"""Realistic values for the generated dataset: the Serbian registry of bodies and places, people's
names, partner organisations (the texts of recommendations, letters and reports are in `texts`)."""

from __future__ import annotations

from visits.models import AuthorityKind, PlaceCategory

K = AuthorityKind
C = PlaceCategory

# The bodies at the top and one level down: real names, fixed whatever the scale (the places'
# operating institutions below them are generated and scale). (key, name, short, kind, parent)
SKELETON: list[tuple[str, str, str, str, str | None]] = [
    ("interior", "Ministry of Interior", "MUP", K.MINISTRY, None),
    ("justice", "Ministry of Justice", "MPravde", K.MINISTRY, None),
    ("health", "Ministry of Health", "MZ", K.MINISTRY, None),
    (
        "labour",
        "Ministry of Labour, Employment, Veteran and Social Affairs",
        "MINRZS",
        K.MINISTRY,
        None,
    ),
    ("defence", "Ministry of Defence", "MO", K.MINISTRY, None),
    ("kirs", "Commissariat for Refugees and Migration", "KIRS", K.AGENCY, None),
    ("police", "Police Directorate", "DP", K.DIRECTORATE, "interior"),
    ("border", "Border Police Administration", "UGP", K.DIRECTORATE, "police"),
    ("foreigners", "Administration for Foreigners", "UZS", K.DIRECTORATE, "police"),
    ("uiks", "Administration for Enforcement of Penal Sanctions", "UIKS", K.DIRECTORATE, "justice"),
    ("social", "Sector for Social Protection", "SSZ", K.DIRECTORATE, "labour"),
    ("military", "Military Police Directorate", "UVP", K.DIRECTORATE, "defence"),
]
MINISTRY_EMAILS = {
    "interior": "kabinet@mup.gov.rs",
    "justice": "kabinet@mpravde.gov.rs",
    "health": "kabinet@zdravlje.gov.rs",
    "labour": "kabinet@minrzs.gov.rs",
    "defence": "kabinet@mod.gov.rs",
    "kirs": "info@kirs.gov.rs",
}

# District: (seat, municipalities). One police administration per district, named after its seat.
DISTRICTS: dict[str, tuple[str, list[str]]] = {
    "City of Belgrade": (
        "Belgrade",
        [
            "Stari Grad",
            "Savski Venac",
            "Vračar",
            "Palilula",
            "Zvezdara",
            "Novi Beograd",
            "Zemun",
            "Čukarica",
            "Rakovica",
            "Voždovac",
            "Obrenovac",
            "Mladenovac",
            "Lazarevac",
        ],
    ),
    "North Bačka": ("Subotica", ["Subotica", "Bačka Topola", "Mali Iđoš"]),
    "Central Banat": ("Zrenjanin", ["Zrenjanin", "Novi Bečej", "Sečanj"]),
    "North Banat": ("Kikinda", ["Kikinda", "Senta", "Kanjiža"]),
    "South Banat": ("Pančevo", ["Pančevo", "Vršac", "Kovin", "Bela Crkva"]),
    "West Bačka": ("Sombor", ["Sombor", "Apatin", "Kula", "Odžaci"]),
    "South Bačka": ("Novi Sad", ["Novi Sad", "Bačka Palanka", "Vrbas", "Bečej", "Temerin"]),
    "Srem": ("Sremska Mitrovica", ["Sremska Mitrovica", "Ruma", "Inđija", "Stara Pazova", "Šid"]),
    "Mačva": ("Šabac", ["Šabac", "Loznica", "Bogatić", "Vladimirci"]),
    "Kolubara": ("Valjevo", ["Valjevo", "Lajkovac", "Ub", "Mionica"]),
    "Podunavlje": ("Smederevo", ["Smederevo", "Smederevska Palanka", "Velika Plana"]),
    "Braničevo": ("Požarevac", ["Požarevac", "Petrovac na Mlavi", "Kučevo", "Veliko Gradište"]),
    "Šumadija": ("Kragujevac", ["Kragujevac", "Aranđelovac", "Topola", "Knić"]),
    "Pomoravlje": ("Jagodina", ["Jagodina", "Ćuprija", "Paraćin", "Svilajnac"]),
    "Bor": ("Bor", ["Bor", "Negotin", "Majdanpek", "Kladovo"]),
    "Zaječar": ("Zaječar", ["Zaječar", "Knjaževac", "Boljevac"]),
    "Zlatibor": ("Užice", ["Užice", "Prijepolje", "Priboj", "Čajetina", "Nova Varoš"]),
    "Moravica": ("Čačak", ["Čačak", "Gornji Milanovac", "Ivanjica"]),
    "Raška": ("Kraljevo", ["Kraljevo", "Novi Pazar", "Tutin", "Vrnjačka Banja"]),
    "Rasina": ("Kruševac", ["Kruševac", "Trstenik", "Aleksandrovac", "Brus"]),
    "Nišava": ("Niš", ["Niš", "Aleksinac", "Svrljig", "Ražanj"]),
    "Toplica": ("Prokuplje", ["Prokuplje", "Kuršumlija", "Blace"]),
    "Pirot": ("Pirot", ["Pirot", "Dimitrovgrad", "Babušnica"]),
    "Jablanica": ("Leskovac", ["Leskovac", "Lebane", "Vlasotince"]),
    "Pčinja": ("Vranje", ["Vranje", "Bujanovac", "Preševo", "Surdulica"]),
}
# (municipality, district), Belgrade's thirteen first: the capital has the most places.
MUNICIPALITIES: list[tuple[str, str]] = [
    (municipality, district)
    for district, (_seat, municipalities) in DISTRICTS.items()
    for municipality in municipalities
]


def police_administration_name(district: str) -> str:
    if district == "City of Belgrade":
        return "Police Administration for the City of Belgrade"
    return f"Police Administration {DISTRICTS[district][0]}"


# Per category: share of all places, the parent of its institutions ("pa" = the police
# administration of the district), the institution's name and its kind, the place's name,
# capacity range, chance of holding women and minors, how often it is visited (weight).
CATEGORIES: dict[str, dict] = {
    C.POLICE: {
        "share": 40,
        "parent": "pa",
        "kind": K.INSTITUTION,
        "institution": "Police Station {m}",
        "place": "Police Station {m} detention unit",
        "capacity": (2, 20),
        "women": 0.9,
        "minors": 0.9,
        "weight": 0.5,
    },
    C.COURT: {
        "share": 5,
        "parent": "justice",
        "kind": K.COURT,
        "institution": "Basic Court in {m}",
        "place": "Court cells of the Basic Court in {m}",
        "capacity": (2, 10),
        "women": 0.9,
        "minors": 0.5,
        "weight": 0.3,
    },
    C.PRETRIAL: {
        "share": 3,
        "parent": "uiks",
        "kind": K.INSTITUTION,
        "institution": "District Prison in {m}",
        "place": "District Prison in {m}",
        "capacity": (50, 1600),
        "women": 0.7,
        "minors": 0.1,
        "weight": 2.5,
    },
    C.PRISON: {
        "share": 3,
        "parent": "uiks",
        "kind": K.INSTITUTION,
        "institution": "Correctional Institution {m}",
        "place": "Correctional Institution {m}",
        "capacity": (200, 1800),
        "women": 0.2,
        "minors": 0.0,
        "weight": 3.0,
    },
    C.JUVENILE: {
        "share": 0.5,
        "parent": "uiks",
        "kind": K.INSTITUTION,
        "institution": "Educational Correctional Institution {m}",
        "place": "Educational Correctional Institution {m}",
        "capacity": (50, 250),
        "women": 0.5,
        "minors": 1.0,
        "weight": 2.5,
    },
    C.PSYCHIATRIC: {
        "share": 4,
        "parent": "health",
        "kind": K.INSTITUTION,
        "institution": "Special Hospital for Psychiatric Diseases {m}",
        "place": "Special Hospital for Psychiatric Diseases {m}",
        "capacity": (50, 900),
        "women": 0.9,
        "minors": 0.2,
        "weight": 2.0,
    },
    C.SOCIAL_ADULTS: {
        "share": 8,
        "parent": "social",
        "kind": K.INSTITUTION,
        "institution": "Home for Adults with Disabilities {m}",
        "place": "Home for Adults with Disabilities {m}",
        "capacity": (30, 600),
        "women": 0.9,
        "minors": 0.1,
        "weight": 1.5,
    },
    C.SOCIAL_CHILDREN: {
        "share": 5,
        "parent": "social",
        "kind": K.INSTITUTION,
        "institution": "Home for Children and Youth {m}",
        "place": "Home for Children and Youth {m}",
        "capacity": (20, 200),
        "women": 0.9,
        "minors": 1.0,
        "weight": 1.5,
    },
    C.SOCIAL_ELDERLY: {
        "share": 20,
        "parent": "social",
        "kind": K.INSTITUTION,
        "institution": "Gerontology Centre {m}",
        "place": "Gerontology Centre {m}",
        "capacity": (30, 400),
        "women": 1.0,
        "minors": 0.0,
        "weight": 0.8,
    },
    C.ASYLUM: {
        "share": 2,
        "parent": "kirs",
        "kind": K.INSTITUTION,
        "institution": "Asylum Centre {m}",
        "place": "Asylum Centre {m}",
        "capacity": (50, 400),
        "women": 0.9,
        "minors": 0.9,
        "weight": 1.5,
    },
    C.RECEPTION: {
        "share": 2,
        "parent": "kirs",
        "kind": K.INSTITUTION,
        "institution": "Reception Centre {m}",
        "place": "Reception Centre {m}",
        "capacity": (100, 1000),
        "women": 0.9,
        "minors": 0.9,
        "weight": 1.5,
    },
    C.FOREIGNERS: {
        "share": 0.5,
        "parent": "foreigners",
        "kind": K.INSTITUTION,
        "institution": "Shelter for Foreigners {m}",
        "place": "Shelter for Foreigners {m}",
        "capacity": (30, 120),
        "women": 0.8,
        "minors": 0.5,
        "weight": 3.0,
    },
    C.BORDER: {
        "share": 5,
        "parent": "border",
        "kind": K.INSTITUTION,
        "institution": "Border Police Station {m}",
        "place": "Border crossing {m} holding room",
        "capacity": (1, 6),
        "women": 0.8,
        "minors": 0.8,
        "weight": 0.4,
    },
    C.AIRPORT: {
        "share": 0.5,
        "parent": "border",
        "kind": K.INSTITUTION,
        "institution": "Border Police Station {m} Airport",
        "place": "{m} Airport transit zone",
        "capacity": (5, 30),
        "women": 1.0,
        "minors": 1.0,
        "weight": 3.0,
    },
    C.MILITARY: {
        "share": 1,
        "parent": "military",
        "kind": K.INSTITUTION,
        "institution": "Military Police Unit {m}",
        "place": "Military detention unit {m}",
        "capacity": (5, 30),
        "women": 0.3,
        "minors": 0.0,
        "weight": 0.5,
    },
    C.OTHER: {
        "share": 0.5,
        "parent": "social",
        "kind": K.INSTITUTION,
        "institution": "Centre for Social Work {m}",
        "place": "Centre for Social Work {m} emergency shelter",
        "capacity": (5, 50),
        "women": 0.9,
        "minors": 0.9,
        "weight": 0.5,
    },
}
# Places where forced returns are monitored.
RETURN_CATEGORIES = {C.AIRPORT, C.BORDER, C.FOREIGNERS}
# Of the places, this share have an institution of their own; the rest share one (a police
# station with two detention rooms, a hospital with several wards).
INSTITUTIONS_PER_PLACE = 0.63

FEMALE_NAMES = [
    "Ana",
    "Jelena",
    "Milica",
    "Marija",
    "Ivana",
    "Jovana",
    "Dragana",
    "Snežana",
    "Tijana",
    "Maja",
    "Gordana",
    "Nataša",
    "Svetlana",
    "Vesna",
    "Sanja",
    "Biljana",
    "Katarina",
    "Milena",
    "Danijela",
    "Aleksandra",
]
MALE_NAMES = [
    "Miloš",
    "Nikola",
    "Marko",
    "Stefan",
    "Nemanja",
    "Aleksandar",
    "Dragan",
    "Zoran",
    "Goran",
    "Dejan",
    "Vladimir",
    "Milan",
    "Ivan",
    "Petar",
    "Bojan",
    "Saša",
    "Dušan",
    "Vuk",
    "Lazar",
    "Đorđe",
]
LAST_NAMES = [
    "Jovanović",
    "Petrović",
    "Nikolić",
    "Marković",
    "Đorđević",
    "Stojanović",
    "Ilić",
    "Stanković",
    "Pavlović",
    "Milošević",
    "Popović",
    "Janković",
    "Todorović",
    "Kostić",
    "Ristić",
    "Lazić",
    "Savić",
    "Mitrović",
    "Živković",
    "Obradović",
    "Stevanović",
    "Kovačević",
    "Marinković",
    "Radovanović",
    "Vasić",
    "Tomić",
    "Pantelić",
    "Simić",
]

# The associations the NPM works with, then generated ones up to the scaled count.
# (name, short name, focus areas)
ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Belgrade Centre for Human Rights", "BCHR", "Human rights research; asylum; legal aid."),
    ("Lawyers' Committee for Human Rights", "YUCOM", "Rule of law; protection against torture."),
    (
        "Mental Disability Rights Initiative of Serbia",
        "MDRI-S",
        "Rights of persons with mental and intellectual disabilities in institutions.",
    ),
    ("International Aid Network", "IAN", "Rehabilitation of torture victims."),
    ("Group 484", "Group 484", "Migration and asylum policy."),
    ("Belgrade Centre for Security Policy", "BCSP", "Security sector oversight."),
    ("Asylum Protection Center", "APC/CZA", "Legal aid for asylum seekers."),
]
ORGANISATION_PATTERNS = [
    ("Centre for Rights of Persons with Disabilities {city}", "Disability rights."),
    ("Association of Psychologists {city}", "Psychosocial support in institutions."),
    ("Committee for Human Rights {city}", "Monitoring of places of detention."),
    ("Child Rights Centre {city}", "Rights of children in care and in detention."),
    ("Society of Forensic Doctors {city}", "Documentation of injuries."),
]
ORGANISATION_CITIES = [
    "Niš",
    "Novi Sad",
    "Kragujevac",
    "Subotica",
    "Kraljevo",
    "Čačak",
    "Leskovac",
    "Zrenjanin",
    "Pančevo",
    "Šabac",
    "Valjevo",
    "Užice",
    "Sombor",
    "Vranje",
    "Smederevo",
    "Požarevac",
]
# Expertise of partner members, with weights.
EXPERTISE = [
    ("legal", 30),
    ("medical", 15),
    ("psychiatrist", 10),
    ("psychologist", 12),
    ("social_worker", 12),
    ("disability", 6),
    ("migration", 7),
    ("child_rights", 5),
    ("interpreter", 3),
]
# Other NPMs and bodies a joint visit is made with.
JOINT_WITH = ["CPT", "NPM Slovenia", "NPM Croatia", "NPM Montenegro", "NPM Austria", "SPT"]
# Forced returns: (organising state, destination state).
RETURN_ROUTES = [
    ("Serbia", "Albania"),
    ("Serbia", "North Macedonia"),
    ("Germany", "Serbia"),
    ("Austria", "Serbia"),
    ("Serbia", "Türkiye"),
    ("Serbia", "Tunisia"),
    ("Sweden", "Serbia"),
]
