"""The authority portal's demo: its users log in, their answers are in every state, something
is escalated, the logins are printed, and loading twice changes nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory

from core.roles import is_authority_only
from npm_portal.authority_portal import access
from npm_portal.authority_portal.models import AuthorityAccount, Escalation, Submission
from npm_portal.demo import DEMO_PASSWORD
from npm_portal.demo.authority_portal import AUTHORITY_USERS
from recommendations.models import Assessment

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_authority_users_answers_and_escalations(loaded):
    # Every demo authority user logs in with the demo password and has an active account.
    for username, _first, _last, _gender, authority, function, _position in AUTHORITY_USERS:
        user = authenticate(RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert is_authority_only(user)
        account = access.account_for(user)
        assert account.authority.name == authority
        assert account.function == function
        # The logins table lists them with their authority and function.
        line = next(line for line in loaded.splitlines() if line.strip().startswith(username))
        assert authority in line
        assert str(AuthorityAccount.Function(function).label) in line
    assert DEMO_PASSWORD in loaded

    krusevac = AuthorityAccount.objects.get(user__username="krusevac-focal").authority
    uiks = AuthorityAccount.objects.get(user__username="uiks-focal").authority
    # Kruševac: submitted, accepted, one recommendation assessed with a progress judgement.
    answered = Submission.objects.get(authority=krusevac)
    assert answered.state == Submission.State.SUBMITTED
    assert answered.review == Submission.Review.ACCEPTED
    assert answered.letter.items.count() == 2
    assessment = Assessment.objects.get(response=answered.letter)
    assert assessment.progress == "reasonable"
    # The Administration: one with the NPM's question, one awaiting sign-off.
    states = set(Submission.objects.filter(authority=uiks).values_list("state", "review"))
    assert states == {
        (Submission.State.SUBMITTED, Submission.Review.CLARIFICATION),
        (Submission.State.AWAITING_SIGNOFF, ""),
    }
    # Each sees its own recommendations only.
    krusevac_account = AuthorityAccount.objects.get(user__username="krusevac-focal")
    uiks_account = AuthorityAccount.objects.get(user__username="uiks-focal")
    mine = set(access.recommendations_for(krusevac_account).values_list("pk", flat=True))
    theirs = set(access.recommendations_for(uiks_account).values_list("pk", flat=True))
    assert mine
    assert theirs
    assert not mine & theirs

    # Escalated: one recommendation to the Ministry of Interior (its demo user was mailed), and
    # one of the Kruševac administration to the Police Directorate.
    mup = AuthorityAccount.objects.get(user__username="mup")
    to_mup = Escalation.objects.filter(escalated_to=mup.authority)
    assert to_mup.count() >= 1
    assert to_mup.first().notified >= 1
    assert Escalation.objects.filter(authority=krusevac).exists()
    assert any("mup@authority.example.org" in m.to for m in mail.outbox)
    # The escalated recommendations are still without a response.
    assert all(e.recommendation.responded_on is None for e in to_mup)


def test_loading_the_demo_twice_changes_nothing(loaded):
    first = _row_counts()
    assert first["authority_portal.Submission"] == 3
    assert first["authority_portal.AuthorityAccount"] == len(AUTHORITY_USERS)
    call_command("load_demo", stdout=io.StringIO())
    assert _row_counts() == first
