"""Forms of `visits`, one module per concern; re-exported here for the views."""

from .records import (
    AttachmentForm,
    FindingForm,
    FollowUpCheckForm,
    InterviewForm,
    ReturnOperationForm,
)
from .registry import AuthorityForm, PlaceForm
from .reports import (
    MAX_INT,
    DispatchForm,
    ReportForm,
    ReturnForm,
    SectionSettingsForm,
    SectionTextForm,
)
from .visits import CancelForm, ConductForm, PopulationForm, TeamMemberForm, VisitForm

__all__ = [
    "MAX_INT",
    "AttachmentForm",
    "AuthorityForm",
    "CancelForm",
    "ConductForm",
    "DispatchForm",
    "FindingForm",
    "FollowUpCheckForm",
    "InterviewForm",
    "PlaceForm",
    "PopulationForm",
    "ReportForm",
    "ReturnForm",
    "ReturnOperationForm",
    "SectionSettingsForm",
    "SectionTextForm",
    "TeamMemberForm",
    "VisitForm",
]
