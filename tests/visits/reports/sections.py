"""The two sections of the report fixture, and their texts."""

PARTNER_TEXT = "Partner text Qzpartner41"
STAFF_TEXT = "Staff text Qzstaff77"


def mine(report):
    """The partner's section."""
    return report.sections.get(order=1)


def other(report):
    """The staff member's section."""
    return report.sections.get(order=2)
