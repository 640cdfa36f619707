"""A submission's badges come from the one map (core.badges): every state and review has its
colour, and a draft sent back by the validator shows as "returned"."""

from core.badges import BADGES, DEFAULT, badge_classes
from npm_portal.authority_portal.models import ReviewState, Submission, SubmissionState


def test_every_state_and_review_has_its_own_colour():
    assert set(BADGES["submission"]) == {*SubmissionState.values, "returned"}
    assert set(BADGES["submission_review"]) == set(ReviewState.values)
    assert badge_classes("submission", "returned") == "text-bg-danger"
    assert DEFAULT not in {badge_classes("submission_review", v) for v in ("accepted", "pending")}


def test_a_returned_draft_shows_as_returned():
    draft = Submission(state=SubmissionState.DRAFT)
    assert draft.display_state == "draft"
    draft.returned_comment = "Add the date of the works."
    assert draft.display_state == "returned"
    sent = Submission(state=SubmissionState.AWAITING_SIGNOFF, returned_comment="old comment")
    assert sent.display_state == "awaiting_signoff"
