"""The one map from a state to its badge's Bootstrap classes, for every kind of record: templates
use `{{ value|badge:"visit" }}` (core_tags) and never choose colours themselves."""

from __future__ import annotations

BADGES: dict[str, dict[str, str]] = {
    "visit": {
        "planned": "text-bg-info",
        "conducted": "text-bg-primary",
        "reporting": "text-bg-warning",
        "closed": "text-bg-success",
        "cancelled": "text-bg-secondary",
    },
    "report": {
        "drafting": "text-bg-secondary",
        "in_review": "text-bg-info",
        "approved": "text-bg-primary",
        "issued": "text-bg-success",
    },
    "section": {
        "assigned": "text-bg-secondary",
        "draft": "text-bg-secondary",
        "submitted": "text-bg-info",
        "returned": "text-bg-danger",
        "accepted": "text-bg-success",
    },
    "recommendation": {
        "awaiting_response": "text-bg-secondary",
        "response_received": "text-bg-info",
        "implemented": "text-bg-success",
        "partially_implemented": "text-bg-warning",
        "in_progress": "text-bg-primary",
        "not_implemented": "text-bg-danger",
        "rejected": "text-bg-danger",
        "no_longer_applicable": "text-bg-light border",
    },
    "priority": {
        "urgent": "text-bg-danger",
        "high": "text-bg-warning",
        "normal": "text-bg-light border",
    },
    # An authority's answer in the portal: "returned" is a draft sent back by the validator.
    "submission": {
        "draft": "text-bg-secondary",
        "returned": "text-bg-danger",
        "awaiting_signoff": "text-bg-info",
        "submitted": "text-bg-success",
    },
    # The NPM's review of a submitted answer.
    "submission_review": {
        "pending": "text-bg-warning",
        "accepted": "text-bg-success",
        "clarification": "text-bg-info",
    },
    "agreement": {
        "draft": "text-bg-secondary",
        "active": "text-bg-success",
        "expiring": "text-bg-warning",
        "expired": "text-bg-dark",
        "terminated": "text-bg-danger",
    },
}
DEFAULT = "text-bg-secondary"


def badge_classes(kind: str, value: str) -> str:
    return BADGES[kind].get(str(value), DEFAULT)
