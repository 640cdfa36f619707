import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from partners.services import agreement_expiry_reminders_send
from tests.factories import UserFactory
from tests.factories.partners import AgreementFactory

D = datetime.date
BELGRADE = ZoneInfo("Europe/Belgrade")
TODAY = D(2025, 6, 1)


@pytest.fixture
def expiring(bchr):
    return AgreementFactory(
        organisation=bchr,
        reference_number="NPM-BCHR/2",
        valid_from=D(2022, 7, 1),
        valid_until=D(2025, 7, 10),
    )


@pytest.fixture
def recipients(head, staff, compliance, partner_member):
    UserFactory(username="former", roles=["NPM staff"], is_active=False)
    UserFactory(username="nomail", roles=["NPM staff"], email="")
    return {"head@example.org", "staff@example.org"}


def run_command() -> str:
    out = StringIO()
    with time_machine.travel(datetime.datetime(2025, 6, 1, 7, tzinfo=BELGRADE), tick=False):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_staff_and_head_get_one_digest(settings, expiring, recipients, yucom):
    settings.NPM_AGREEMENT_EXPIRY_DAYS = 60
    AgreementFactory(organisation=yucom, valid_until=D(2030, 1, 1))  # far from its end
    output = run_command()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == recipients
    assert "1 partner agreement(s) expiring within 60 days" in message.subject
    assert "NPM-BCHR/2" in message.body
    assert "Belgrade Centre for Human Rights" in message.body
    assert "last day 10 Jul 2025 (39 days left)" in message.body
    assert "NPM-YUCOM" not in message.body
    assert yucom.name not in message.body
    assert "Reminders sent: 1." in output


def test_window_comes_from_settings(settings, expiring, recipients):
    settings.NPM_AGREEMENT_EXPIRY_DAYS = 30
    assert agreement_expiry_reminders_send(today=TODAY) == 0
    assert mail.outbox == []
    settings.NPM_AGREEMENT_EXPIRY_DAYS = 39
    assert agreement_expiry_reminders_send(today=TODAY) == 1


def test_expired_and_terminated_agreements_are_not_reminded(bchr, yucom, recipients):
    AgreementFactory(organisation=bchr, valid_from=D(2020, 1, 1), valid_until=D(2025, 5, 31))
    AgreementFactory(
        organisation=yucom,
        valid_from=D(2020, 1, 1),
        valid_until=D(2025, 7, 1),
        termination_date=D(2025, 5, 1),
        termination_reason="Ended by agreement",
    )
    assert "Reminders sent: 0." in run_command()
    assert mail.outbox == []


def test_nobody_to_tell(expiring, compliance):
    assert agreement_expiry_reminders_send(today=TODAY) == 0
    assert mail.outbox == []
