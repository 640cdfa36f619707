import pytest

from tests.factories.visits import MemberFactory, OrganisationFactory, TeamMemberFactory


@pytest.fixture
def bchr(db):
    return OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")


@pytest.fixture
def partner_as_member(partner_member, bchr):
    """The `partner` user's Member record (BCHR, eligible)."""
    return MemberFactory(
        organisation=bchr,
        user=partner_member,
        first_name="Ana",
        last_name="Marković",
        gender="female",
    )


@pytest.fixture
def on_team(partner_as_member):
    """Put the partner user on a visit's team."""

    def _on_team(visit, role="member"):
        return TeamMemberFactory(visit=visit, member=partner_as_member, role=role)

    return _on_team
