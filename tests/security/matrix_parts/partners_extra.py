"""The partners app's agreement detail page in the role × URL matrix.

Rules (as the agreement list and the agreement document): head, staff and compliance officers
see every agreement; a partner member sees only their own organisation's (partner_on is a member
of BCHR, partner_off of YUCOM: 404 for a BCHR agreement); anonymous users the login page.
"""

import datetime as dt

from tests.factories.partners import AgreementFactory

MATRIX = {
    "partners:agreement_detail": "L 200 200 200 200 404",
}

ARGUMENTS = {
    "partners:agreement_detail": lambda w: {"pk": w.objects["pe_agreement"].pk},
}


def extend_world(world) -> None:
    # A second BCHR agreement, terminated, without a document: the page's other branches.
    organisation = world.objects["organisation"]
    world.objects["pe_agreement"] = AgreementFactory(
        organisation=organisation,
        reference_number="NPM-BCHR/matrix-extra",
        signed_on=dt.date(2018, 12, 20),
        valid_from=dt.date(2019, 1, 1),
        valid_until=dt.date(2020, 12, 31),
        termination_date=dt.date(2020, 6, 1),
        termination_reason="Ended by mutual consent.",
    )
