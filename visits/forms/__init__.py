"""Forms of `visits`, one module per concern; re-exported here for the views."""

from .records import (
    AttachmentForm,
    FindingEditForm,
    FindingForm,
    FollowUpCheckForm,
    InterviewEditForm,
    InterviewForm,
    ReasonForm,
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
    "FindingEditForm",
    "FindingForm",
    "FollowUpCheckForm",
    "InterviewEditForm",
    "InterviewForm",
    "PlaceForm",
    "PopulationForm",
    "ReasonForm",
    "ReportForm",
    "ReturnForm",
    "ReturnOperationForm",
    "SectionSettingsForm",
    "SectionTextForm",
    "TeamMemberForm",
    "VisitForm",
]
