"""Partners' models: organisations and public calls, agreements, members, and the wider
cooperation (NPM networks, events, donor-funded projects)."""

from .agreements import Agreement, AgreementQuerySet, AgreementState, expiry_window_days
from .cooperation import (
    Event,
    EventKind,
    EventParticipant,
    MembershipStatus,
    Network,
    NetworkChair,
    NetworkMeeting,
    NetworkMembership,
    Project,
    ProjectResult,
    WorkingGroup,
)
from .logins import linked_member
from .members import Expertise, Gender, Member, MemberQuerySet
from .organisations import (
    Application,
    ApplicationOutcome,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    PublicCall,
)

__all__ = [
    "Agreement",
    "AgreementQuerySet",
    "AgreementState",
    "Application",
    "ApplicationOutcome",
    "Event",
    "EventKind",
    "EventParticipant",
    "Expertise",
    "Gender",
    "Member",
    "MemberQuerySet",
    "MembershipStatus",
    "Network",
    "NetworkChair",
    "NetworkMeeting",
    "NetworkMembership",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "Project",
    "ProjectResult",
    "PublicCall",
    "WorkingGroup",
    "expiry_window_days",
    "linked_member",
]
