"""Who may see and do what in the authority portal: the one place its rules live.

An authority user (role "Authority user", `core.roles.is_authority_only`) has one active
`AuthorityAccount`, tied to one authority node. They see:

- issued reports dispatched to their node or a node below it (a ministry sees its directorates'
  and institutions' reports), the public version, and the full version only where the NPM
  marked that dispatch `full_version_shared`;
- recommendations of those reports addressed to a node of their subtree that the report was
  dispatched to, with deadline, priority, status and what their authority answered;
- submissions of their subtree's authorities.

They answer (draft, sign off) only recommendations addressed to their own node. Nothing else
exists for them: every other row is a 404 (`get_*_for_user`), and every page outside the
authority area too (`middleware`). Interviews, identities, confidential sections, notes,
attachments, assessments' notes and other authorities' rows never reach them.

The NPM side (inbox, accounts, escalations) is for the NPM roles by permission.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import is_authority_only, is_partner_only
from recommendations.models import Recommendation
from visits.models import Authority, Dispatch, Report

from .models import AuthorityAccount, Evidence, Submission

VIEW_ACCOUNT = "authority_portal.view_authorityaccount"
ADD_ACCOUNT = "authority_portal.add_authorityaccount"
CHANGE_ACCOUNT = "authority_portal.change_authorityaccount"
VIEW_SUBMISSION = "authority_portal.view_submission"
REVIEW_SUBMISSION = "authority_portal.review_submission"
VIEW_ESCALATION = "authority_portal.view_escalation"


# --- The authority user -------------------------------------------------------------------------


def account_for(user) -> AuthorityAccount | None:
    """The user's active authority account (None for everyone else); cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_npm_authority_account"):
        account = None
        if is_authority_only(user):
            account = (
                AuthorityAccount.objects.active()
                .select_related("authority", "user")
                .filter(user=user)
                .first()
            )
        user._npm_authority_account = account
    return user._npm_authority_account


def require_account(user) -> AuthorityAccount:
    """The authority area exists only for authority users with an active account: 404 for
    everyone else."""
    account = account_for(user)
    if account is None:
        raise Http404
    return account


def subtree_ids(account: AuthorityAccount) -> set[int]:
    """The account's node and every node below it (cached on the account)."""
    if not hasattr(account, "_subtree_ids"):
        account._subtree_ids = Authority.objects.subtree_ids(account.authority)
    return account._subtree_ids


# --- Rows an authority user sees ----------------------------------------------------------------


def _dispatched_to_addressee(authority_ids) -> Exists:
    """The recommendation's report was dispatched to one of its addressees in `authority_ids`."""
    return Exists(
        Dispatch.objects.filter(
            report__visit_id=OuterRef("visit_id"),
            authority_id__in=authority_ids,
            authority__recommendations=OuterRef("pk"),
        )
    )


def recommendations_for(account: AuthorityAccount) -> QuerySet[Recommendation]:
    """Recommendations of issued reports addressed to a node of the subtree that the report was
    dispatched to."""
    return Recommendation.objects.issued().filter(_dispatched_to_addressee(subtree_ids(account)))


def answerable_recommendations(account: AuthorityAccount, visit=None) -> QuerySet[Recommendation]:
    """What the account's own node may answer: open recommendations addressed to it, of reports
    dispatched to it (optionally of one visit)."""
    own = {account.authority_id}
    queryset = Recommendation.objects.issued().open().filter(_dispatched_to_addressee(own))
    if visit is not None:
        queryset = queryset.filter(visit=visit)
    return queryset


def reports_for(account: AuthorityAccount) -> QuerySet[Report]:
    """Issued reports dispatched to a node of the subtree."""
    return Report.objects.issued().filter(
        Exists(
            Dispatch.objects.filter(report=OuterRef("pk"), authority_id__in=subtree_ids(account))
        )
    )


def may_download_full(account: AuthorityAccount, report: Report) -> bool:
    """The full issued PDF only where the NPM shared it with an addressee of the subtree."""
    return report.dispatches.filter(
        authority_id__in=subtree_ids(account), full_version_shared=True
    ).exists()


def submissions_for(account: AuthorityAccount) -> QuerySet[Submission]:
    return Submission.objects.filter(authority_id__in=subtree_ids(account))


def get_recommendation(account: AuthorityAccount, pk: int) -> Recommendation:
    return get_object_or_404(
        recommendations_for(account).select_related("visit__place", "visit__report", "theme"),
        pk=pk,
    )


def get_report(account: AuthorityAccount, pk: int) -> Report:
    return get_object_or_404(reports_for(account).select_related("visit__place"), pk=pk)


def get_submission(account: AuthorityAccount, pk: int) -> Submission:
    return get_object_or_404(
        submissions_for(account).select_related("authority", "visit__report", "visit__place"),
        pk=pk,
    )


def get_evidence(submission: Submission, pk: int) -> Evidence:
    """An evidence file of a submission the caller may already see (404 for any other)."""
    return get_object_or_404(Evidence.objects.filter(answer__submission=submission), pk=pk)


# --- What an authority user may do --------------------------------------------------------------


def may_draft(account: AuthorityAccount, submission: Submission) -> bool:
    """Focal points and alternates of the submission's own authority, while it is a draft."""
    return (
        account.may_draft
        and submission.authority_id == account.authority_id
        and submission.state == Submission.State.DRAFT
    )


def may_sign_off(account: AuthorityAccount, submission: Submission) -> bool:
    """The validating authority of the submission's own authority, once sent for sign-off, and
    never the person who sent it (four eyes)."""
    return (
        account.may_sign_off
        and submission.authority_id == account.authority_id
        and submission.state == Submission.State.AWAITING_SIGNOFF
        and submission.sent_by_id != account.user_id
    )


def may_start(account: AuthorityAccount) -> bool:
    return account.may_draft


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- The NPM side -------------------------------------------------------------------------------


def _npm(user, perm: str) -> bool:
    return not is_partner_only(user) and not is_authority_only(user) and user.has_perm(perm)


def can_view_submissions(user) -> bool:
    return _npm(user, VIEW_SUBMISSION)


def can_review_submissions(user) -> bool:
    return _npm(user, REVIEW_SUBMISSION)


def can_view_accounts(user) -> bool:
    return _npm(user, VIEW_ACCOUNT)


def can_manage_accounts(user) -> bool:
    return _npm(user, ADD_ACCOUNT) and user.has_perm(CHANGE_ACCOUNT)


def can_view_escalations(user) -> bool:
    return _npm(user, VIEW_ESCALATION)


def require_npm(user, perm: str) -> None:
    """404 for partner-only and authority users (the NPM side does not exist for them), 403 for
    NPM users without `perm`."""
    if is_partner_only(user) or is_authority_only(user):
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied


def npm_submissions() -> QuerySet[Submission]:
    """What the NPM sees: submitted submissions (drafts are the authority's own business)."""
    return Submission.objects.submitted()


def get_npm_submission(user, pk: int) -> Submission:
    require_npm(user, VIEW_SUBMISSION)
    return get_object_or_404(
        npm_submissions().select_related("authority", "visit__report", "visit__place", "letter"),
        pk=pk,
    )


def get_npm_account(user, pk: int, *, write: bool = False) -> AuthorityAccount:
    require_npm(user, VIEW_ACCOUNT)
    account = get_object_or_404(AuthorityAccount.objects.select_related("user", "authority"), pk=pk)
    if write and not can_manage_accounts(user):
        raise PermissionDenied
    return account


def authority_filter_q(account: AuthorityAccount, prefix: str = "") -> Q:
    """`prefix`authority within the account's subtree."""
    return Q(**{f"{prefix}authority_id__in": subtree_ids(account)})
