import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core.uploads import validate_document
from partners.models import Agreement, Member, NetworkChair
from tests.factories.partners import (
    AgreementFactory,
    MemberFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    ProjectResultFactory,
)
from tests.partners.conftest import JPEG, PDF, PNG

D = datetime.date
BELGRADE = ZoneInfo("Europe/Belgrade")
State = Agreement.State


def agreement(**fields) -> Agreement:
    """An unsaved agreement: 2020-01-01 to 2022-12-31, signed 2019-12-20."""
    values = {
        "reference_number": "X",
        "signed_on": D(2019, 12, 20),
        "valid_from": D(2020, 1, 1),
        "valid_until": D(2022, 12, 31),
    }
    values.update(fields)
    return Agreement(**values)


class TestAgreementState:
    @pytest.mark.parametrize(
        ("today", "state"),
        [
            (D(2019, 12, 31), State.DRAFT),  # signed, not in force yet
            (D(2020, 1, 1), State.ACTIVE),
            (D(2022, 11, 1), State.ACTIVE),  # 60 days left: still outside the 60-day window
            (D(2022, 11, 2), State.EXPIRING),  # 59 days left
            (D(2022, 12, 31), State.EXPIRING),  # the last day
            (D(2023, 1, 1), State.EXPIRED),
        ],
    )
    def test_state_follows_the_dates(self, settings, today, state):
        settings.NPM_AGREEMENT_EXPIRY_DAYS = 59
        with time_machine.travel(
            datetime.datetime(*today.timetuple()[:3], 12, tzinfo=BELGRADE), tick=False
        ):
            assert agreement().state == state

    def test_unsigned_agreement_is_a_draft_even_within_its_term(self):
        with time_machine.travel(datetime.datetime(2021, 6, 1, 12, tzinfo=BELGRADE), tick=False):
            assert agreement(signed_on=None).state == State.DRAFT

    def test_terminated_from_the_termination_date(self):
        terminated = agreement(termination_date=D(2021, 3, 1), termination_reason="Dissolved")
        assert terminated.state_on(D(2021, 2, 28), expiry_days=10) == State.EXPIRING
        assert terminated.state_on(D(2021, 3, 1)) == State.TERMINATED
        assert terminated.last_day == D(2021, 2, 28)

    def test_expiry_window_comes_from_settings(self, settings):
        settings.NPM_AGREEMENT_EXPIRY_DAYS = 10
        assert agreement().state_on(D(2022, 12, 15)) == State.ACTIVE
        settings.NPM_AGREEMENT_EXPIRY_DAYS = 30
        assert agreement().state_on(D(2022, 12, 15)) == State.EXPIRING

    def test_querysets_agree_with_the_derived_state(self, db, settings):
        settings.NPM_AGREEMENT_EXPIRY_DAYS = 60
        today = D(2025, 6, 1)
        made = {
            State.ACTIVE: AgreementFactory(valid_from=D(2025, 1, 1), valid_until=D(2026, 12, 31)),
            State.EXPIRING: AgreementFactory(valid_from=D(2024, 7, 1), valid_until=D(2025, 7, 15)),
            State.EXPIRED: AgreementFactory(valid_from=D(2020, 1, 1), valid_until=D(2025, 5, 31)),
            State.DRAFT: AgreementFactory(
                signed_on=None, valid_from=D(2025, 7, 1), valid_until=D(2027, 6, 30)
            ),
            State.TERMINATED: AgreementFactory(
                valid_from=D(2024, 1, 1),
                valid_until=D(2026, 12, 31),
                termination_date=D(2025, 3, 1),
                termination_reason="Breach of confidentiality",
            ),
        }
        for state, row in made.items():
            assert row.state_on(today) == state
            assert list(Agreement.objects.with_state(state, today=today)) == [row], state
        in_force = set(Agreement.objects.active_on(today))
        assert in_force == {made[State.ACTIVE], made[State.EXPIRING]}
        assert list(Agreement.objects.expiring_within(60, today=today)) == [made[State.EXPIRING]]

    def test_a_future_termination_makes_it_expiring(self, db):
        row = AgreementFactory(
            valid_from=D(2024, 1, 1),
            valid_until=D(2030, 12, 31),
            termination_date=D(2025, 6, 20),
            termination_reason="Association closing down",
        )
        assert list(Agreement.objects.expiring_within(30, today=D(2025, 6, 1))) == [row]
        assert row.state_on(D(2025, 6, 1), expiry_days=30) == State.EXPIRING


class TestAgreementValidation:
    def test_until_must_be_after_from(self, db):
        org = OrganisationFactory()
        with pytest.raises(ValidationError) as error:
            agreement(organisation=org, valid_until=D(2020, 1, 1)).full_clean()
        assert "valid_until" in error.value.message_dict

    def test_database_refuses_until_before_from(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgreementFactory(valid_from=D(2021, 1, 1), valid_until=D(2020, 1, 1))

    def test_overlapping_agreements_of_one_organisation_are_refused(self, db):
        first = AgreementFactory(valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31))
        clash = agreement(
            organisation=first.organisation,
            reference_number="NEW",
            valid_from=D(2022, 6, 1),
            valid_until=D(2025, 5, 31),
        )
        with pytest.raises(ValidationError) as error:
            clash.full_clean()
        assert "overlaps agreement " + first.reference_number in str(error.value)

    def test_back_to_back_agreements_are_fine(self, db):
        first = AgreementFactory(valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31))
        agreement(
            organisation=first.organisation,
            reference_number="NEXT",
            valid_from=D(2023, 1, 1),
            valid_until=D(2025, 12, 31),
        ).full_clean()

    def test_other_organisations_may_overlap(self, db):
        AgreementFactory(valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31))
        agreement(organisation=OrganisationFactory(), reference_number="OTHER").full_clean()

    def test_terminated_agreement_frees_the_period_from_its_termination(self, db):
        first = AgreementFactory(
            valid_from=D(2020, 1, 1),
            valid_until=D(2025, 12, 31),
            termination_date=D(2022, 1, 1),
            termination_reason="Replaced",
        )
        replacement = agreement(
            organisation=first.organisation,
            reference_number="REPLACEMENT",
            valid_from=D(2022, 1, 1),
            valid_until=D(2024, 12, 31),
        )
        replacement.full_clean()
        replacement.valid_from = D(2021, 12, 31)
        with pytest.raises(ValidationError):
            replacement.full_clean()

    def test_editing_an_agreement_does_not_clash_with_itself(self, db):
        row = AgreementFactory()
        row.valid_until = D(2031, 6, 30)
        row.full_clean()

    def test_termination_needs_a_reason(self, db):
        row = AgreementFactory()
        row.termination_date = D(2024, 1, 1)
        with pytest.raises(ValidationError) as error:
            row.full_clean()
        assert "termination_reason" in error.value.message_dict


class TestDocuments:
    @pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("scan.PNG", PNG)])
    def test_pdf_and_png_accepted(self, name, content):
        validate_document(SimpleUploadedFile(name, content))

    def test_jpeg_accepted(self):
        validate_document(SimpleUploadedFile("scan.jpg", JPEG))

    def test_image_that_does_not_decode_refused(self):
        with pytest.raises(ValidationError, match="cannot be read"):
            validate_document(SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20))

    def test_content_must_match_the_type(self):
        with pytest.raises(ValidationError, match="content"):
            validate_document(SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf"))

    def test_other_types_refused(self):
        with pytest.raises(ValidationError, match="Only PDF, JPEG or PNG"):
            validate_document(SimpleUploadedFile("agreement.docx", PDF))

    def test_size_limit(self, settings):
        settings.NPM_PARTNER_UPLOAD_MAX_MB = 1
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
        with pytest.raises(ValidationError, match="too large"):
            validate_document(big)


class TestMember:
    def test_no_participation_yet(self, db):
        assert list(MemberFactory().participation()) == []

    def test_expertise_must_be_from_the_list(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            MemberFactory(expertise="astrologer")

    def test_eligible_queryset(self, db):
        agreement_ = AgreementFactory()
        eligible = MemberFactory(organisation=agreement_.organisation)
        MemberFactory(organisation=agreement_.organisation, active=False)
        MemberFactory(organisation=agreement_.organisation, pledge_signed_on=None)
        MemberFactory()  # organisation without agreement
        assert list(Member.objects.eligible_for_team_on(D(2024, 5, 1))) == [eligible]
        assert list(Member.objects.eligible_for_team_on(D(2019, 5, 1))) == []


class TestNetworkAndProjects:
    def test_only_a_full_member_chairs(self, db):
        observer = NetworkMembershipFactory(status="observer")
        chair = NetworkChair(
            network=observer.network, year=2024, organisation=observer.organisation
        )
        with pytest.raises(ValidationError, match="Only a full member"):
            chair.full_clean()
        member = NetworkMembershipFactory(network=observer.network)
        NetworkChair(
            network=member.network, year=2024, organisation=member.organisation
        ).full_clean()

    def test_one_chair_a_year(self, db):
        membership = NetworkMembershipFactory(network=NetworkFactory())
        NetworkChair.objects.create(
            network=membership.network, year=2017, organisation=membership.organisation
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            NetworkChair.objects.create(
                network=membership.network, year=2017, organisation=membership.organisation
            )

    @pytest.mark.parametrize(
        ("target", "achieved", "percent"),
        [(500, 250, 50), (40, 44, 100), (80, None, None), (None, 3, None), (1000, 0, 0)],
    )
    def test_result_progress(self, db, target, achieved, percent):
        result = ProjectResultFactory(target_value=target, achieved_value=achieved)
        assert result.progress_percent == percent
