"""The Serbian (Latin) names of the demo registry and partners, keyed by their English names: the
names the bodies and places go by in Serbia (the Cyrillic is derived, `core.names`).

Beside the English tables in `registry` and `partners`, not inside them, so that each stays a
readable list; `with_serbian` fills in the names of rows loaded before the names existed.
"""

from __future__ import annotations

from django.db import models

AUTHORITIES: dict[str, str] = {
    "Ministry of Interior": "Ministarstvo unutrašnjih poslova",
    "Police Directorate": "Direkcija policije",
    "Police Administration Kruševac": "Policijska uprava Kruševac",
    "Police Administration for the City of Belgrade": "Policijska uprava za grad Beograd",
    "Police Administration Novi Sad": "Policijska uprava Novi Sad",
    "Police Administration Niš": "Policijska uprava Niš",
    "Border Police Administration": "Uprava granične policije",
    "Ministry of Justice": "Ministarstvo pravde",
    "Administration for Enforcement of Penal Sanctions": "Uprava za izvršenje krivičnih sankcija",
    "Higher Court in Belgrade": "Viši sud u Beogradu",
    "Ministry of Health": "Ministarstvo zdravlja",
    "Ministry of Labour, Employment, Veteran and Social Affairs": (
        "Ministarstvo za rad, zapošljavanje, boračka i socijalna pitanja"
    ),
    "Commissariat for Refugees and Migration": "Komesarijat za izbeglice i migracije",
    "Ministry of Defence": "Ministarstvo odbrane",
    "Military Police Directorate": "Uprava vojne policije",
}

PLACES: dict[str, str] = {
    "Police Department Kruševac": "Policijska stanica Kruševac",
    "Police Station Savski Venac": "Policijska stanica Savski venac",
    "Police Administration Novi Sad detention unit": (
        "Prostorije za zadržavanje Policijske uprave Novi Sad"
    ),
    "Police Administration Niš detention unit": "Prostorije za zadržavanje Policijske uprave Niš",
    "District Prison in Belgrade": "Okružni zatvor u Beogradu",
    "District Prison in Novi Sad": "Okružni zatvor u Novom Sadu",
    "Correctional Institution Sremska Mitrovica": "Kazneno-popravni zavod u Sremskoj Mitrovici",
    "Correctional Institution Požarevac – Zabela": "Kazneno-popravni zavod Požarevac – Zabela",
    "Correctional Institution Niš": "Kazneno-popravni zavod u Nišu",
    "Correctional Institution for Women Požarevac": "Kazneno-popravni zavod za žene u Požarevcu",
    "Special Prison Hospital in Belgrade": "Specijalna zatvorska bolnica u Beogradu",
    "Correctional Institution for Juveniles Valjevo": (
        "Kazneno-popravni zavod za maloletnike u Valjevu"
    ),
    "Educational Correctional Institution Kruševac": "Vaspitno-popravni dom u Kruševcu",
    "Special Hospital for Psychiatric Diseases Kovin": (
        "Specijalna bolnica za psihijatrijske bolesti „Kovin“"
    ),
    "Special Hospital for Psychiatric Diseases Gornja Toponica": (
        "Specijalna bolnica za psihijatrijske bolesti „Gornja Toponica“"
    ),
    "Special Hospital for Psychiatric Diseases “Dr Slavoljub Bakalović” Vršac": (
        "Specijalna bolnica za psihijatrijske bolesti „Dr Slavoljub Bakalović“ Vršac"
    ),
    "Clinic for Psychiatric Diseases “Dr Laza Lazarević”": (
        "Klinika za psihijatrijske bolesti „Dr Laza Lazarević“"
    ),
    "Home for Persons with Disabilities “Kulina”": "Dom za smeštaj osoba sa invaliditetom „Kulina“",
    "Home for Adults with Intellectual Disabilities “Čurug”": (
        "Dom za odrasla lica sa intelektualnim invaliditetom „Čurug“"
    ),
    "Home for Children and Youth with Developmental Disabilities “Sremčica”": (
        "Dom za decu i omladinu ometenu u razvoju „Sremčica“"
    ),
    "Centre for the Protection of Infants, Children and Youth Belgrade": (
        "Centar za zaštitu odojčadi, dece i omladine Beograd"
    ),
    "Gerontology Centre Belgrade": "Gerontološki centar Beograd",
    "Asylum Centre Krnjača": "Centar za azil Krnjača",
    "Asylum Centre Banja Koviljača": "Centar za azil Banja Koviljača",
    "Asylum Centre Bogovađa": "Centar za azil Bogovađa",
    "Reception Centre Preševo": "Prihvatni centar Preševo",
    "Reception Centre Adaševci": "Prihvatni centar Adaševci",
    "Reception Centre Obrenovac": "Prihvatni centar Obrenovac",
    "Shelter for Foreigners Padinska Skela": "Prihvatilište za strance Padinska Skela",
    "Border Crossing Batrovci holding room": (
        "Prostorija za zadržavanje na graničnom prelazu Batrovci"
    ),
    "Border Crossing Horgoš holding room": "Prostorija za zadržavanje na graničnom prelazu Horgoš",
    "Belgrade Nikola Tesla Airport transit zone": "Tranzitna zona Aerodroma „Nikola Tesla“ Beograd",
    "Military Police detention premises Belgrade": (
        "Prostorije za zadržavanje Vojne policije u Beogradu"
    ),
    "Higher Court in Belgrade holding cells": "Prostorije za zadržavanje Višeg suda u Beogradu",
    "Urgent reception shelter for victims of human trafficking": (
        "Prihvatilište za urgentni smeštaj žrtava trgovine ljudima"
    ),
}

DISTRICTS: dict[str, str] = {
    "City of Belgrade": "Grad Beograd",
    "South Bačka": "Južnobački okrug",
    "North Banat": "Severnobanatski okrug",
    "South Banat": "Južnobanatski okrug",
    "Srem": "Sremski okrug",
    "Mačva": "Mačvanski okrug",
    "Kolubara": "Kolubarski okrug",
    "Braničevo": "Braničevski okrug",
    "Rasina": "Rasinski okrug",
    "Nišava": "Nišavski okrug",
    "Pčinja": "Pčinjski okrug",
}

ORGANISATIONS: dict[str, str] = {
    "Belgrade Centre for Human Rights": "Beogradski centar za ljudska prava",
    "Lawyers' Committee for Human Rights": "Komitet pravnika za ljudska prava",
    "Mental Disability Rights Initiative of Serbia": (
        "Inicijativa za prava osoba sa mentalnim invaliditetom Srbije"
    ),
    "International Aid Network": "Međunarodna mreža pomoći",
    "Group 484": "Grupa 484",
    "Belgrade Centre for Security Policy": "Beogradski centar za bezbednosnu politiku",
    "Asylum Protection Center": "Centar za zaštitu i pomoć tražiocima azila",
    "European Committee for the Prevention of Torture": "Evropski komitet za sprečavanje mučenja",
    "National Ombudsman of the Netherlands": "Nacionalni ombudsman Holandije",
    "Protector of Citizens of the Republic of Serbia": "Zaštitnik građana Republike Srbije",
    "Human Rights Ombudsman of the Republic of Slovenia": (
        "Zaštitnik ljudskih prava Republike Slovenije"
    ),
    "People's Advocate of the Republic of Albania": "Narodni advokat Republike Albanije",
    "Ombudsman of the Republic of Croatia": "Pučki pravobranitelj Republike Hrvatske",
    "Ombudsman of the Republic of North Macedonia": (
        "Narodni pravobranilac Republike Severne Makedonije"
    ),
    "Protector of Human Rights and Freedoms of Montenegro": (
        "Zaštitnik ljudskih prava i sloboda Crne Gore"
    ),
    "Austrian Ombudsman Board": "Austrijski odbor ombudsmana",
    "Commissioner for Fundamental Rights of Hungary": "Poverenik za osnovna prava Mađarske",
    "Ombudsman of the Republic of Bulgaria": "Ombudsman Republike Bugarske",
    "People's Advocate of Romania": "Narodni advokat Rumunije",
    "Greek Ombudsman": "Grčki ombudsman",
    "Ombudsperson Institution of Kosovo": "Institucija ombudsmana Kosova",
    "Institution of Human Rights Ombudsman of Bosnia and Herzegovina": (
        "Institucija ombudsmena za ljudska prava Bosne i Hercegovine"
    ),
}


def with_serbian(obj: models.Model, was_created: bool, **names: str) -> bool:
    """Give a row loaded before the Serbian names existed the ones it lacks; a new row has them
    from its defaults. Returns `was_created`, for the loaders' counts."""
    missing = [field for field, name in names.items() if name and not getattr(obj, field)]
    if not was_created and missing:
        for field in missing:
            setattr(obj, field, names[field])
        obj.save(update_fields=missing)
    return was_created
