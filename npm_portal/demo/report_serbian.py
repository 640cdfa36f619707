"""The demo report written in Serbian: the 2022 visit to the Special Prison Hospital in Belgrade,
its sections and recommendations in Serbian Latin, issued in Cyrillic as the NPM's reports to
Serbian authorities are (the PDF transliterates the Latin text, `visits.pdf.rendering`). The
figures, letter and reference numbers are invented for the demo.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from recommendations.models import Assessment, Recommendation
from visits.models import ReportLanguage, ReportStatus, Visit

S = Recommendation.Status
R = Recommendation.Reason
P = Recommendation.Priority
B = Assessment.Basis


def section_text(section, visit: Visit) -> str:
    """The section's text in Serbian Latin (the English demo reports' `reports._section_text`)."""
    place = visit.place
    name = place.name_sr or place.name
    kind = section.kind
    if kind == "introduction":
        announced = "najavljena" if visit.announced else "nenajavljena"
        return (
            f"Poseta ustanovi {name} bila je {announced} i obavljena je "
            f"{timezone.localtime(visit.start):%d.%m.%Y}. godine, na osnovu čl. 19 i 20 "
            "Opcionog protokola uz Konvenciju protiv torture i drugih surovih, neljudskih ili "
            "ponižavajućih kazni ili postupaka.\n\n"
            "Tim je razgovarao nasamo sa licima lišenim slobode i sa osobljem, obišao prostorije "
            "i izvršio uvid u evidencije i medicinsku dokumentaciju."
        )
    if kind == "place":
        district = place.district_sr or place.district
        present = (
            f"Na dan posete u bolnici je bilo smešteno {visit.present} lica."
            if visit.present
            else "Tim je na dan posete utvrdio broj smeštenih lica."
        )
        return f"{name} nalazi se u opštini {place.municipality} ({district}). {present}"
    if kind == "findings":
        return "Tim nije utvrdio posebne nalaze u vezi sa ovom temom."
    if kind == "good_practice":
        return (
            "- Uprava i osoblje omogućili su timu nesmetan pristup svim prostorijama i "
            "dokumentaciji.\n"
            "- Pacijenti imaju svakodnevni boravak na otvorenom u trajanju od najmanje dva sata."
        )
    return "Preporuke su navedene u prilogu, zajedno sa organima kojima su upućene."


# As the scenarios of `report_scenarios`, with the report's language and the texts above.
SPECIAL_PRISON_HOSPITAL_2022 = {
    "place": "Special Prison Hospital in Belgrade",
    "year": 2022,
    "state": ReportStatus.ISSUED,
    "language": ReportLanguage.SERBIAN_CYRILLIC,
    "section_text": section_text,
    "issued_on": dt.date(2023, 2, 15),
    "dispatched_on": dt.date(2023, 2, 17),
    "recommendations": [
        (
            "health-care",
            P.HIGH,
            True,
            "both",
            "Obezbediti dovoljan broj lekara specijalista psihijatrije i medicinskih sestara, "
            "tako da svaki pacijent ima individualni plan lečenja koji se redovno preispituje.",
        ),
        (
            "material-conditions",
            P.NORMAL,
            True,
            "institution",
            "Renovirati spavaonice u prizemlju i obezbediti u njima dnevnu svetlost, "
            "provetravanje, grejanje i ispravne sanitarne čvorove.",
        ),
        (
            "use-of-force",
            P.URGENT,
            True,
            "institution",
            "Mehaničko sputavanje primenjivati samo kao krajnju meru, najkraće moguće, uz stalni "
            "nadzor medicinskog osoblja, i svaku primenu upisati u posebnu evidenciju.",
        ),
        (
            "legal-safeguards",
            P.NORMAL,
            False,
            "ministry",
            "Obezbediti da se lica kojima više nije potrebno bolničko lečenje bez odlaganja "
            "vrate u zavod iz kojeg su upućena.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2023, 4, 12),
            "01-112-5/23",
            {
                1: (
                    S.IN_PROGRESS,
                    "Raspisan je konkurs za prijem dva lekara specijaliste psihijatrije.",
                    dt.date(2023, 12, 31),
                ),
                2: (S.IMPLEMENTED, "Spavaonice u prizemlju renovirane su u martu 2023.", None),
                3: (S.IMPLEMENTED, "Uvedena je posebna evidencija mera sputavanja.", None),
            },
        ),
    ],
    "assessments": [
        (1, dt.date(2023, 4, 20), S.IN_PROGRESS, R.LACK_OF_STAFF, B.RESPONSE, ""),
        (2, dt.date(2023, 4, 20), S.IMPLEMENTED, "", B.RESPONSE, "Fotografije priložene uz dopis."),
        (3, dt.date(2023, 4, 20), S.IMPLEMENTED, "", B.RESPONSE, ""),
    ],
}
