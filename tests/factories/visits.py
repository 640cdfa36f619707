import datetime as dt

import factory
from django.utils import timezone

from partners.models import Agreement, Member, Organisation
from tests.factories import PlaceFactory
from visits.models import Interview, Report, ReportSection, TeamMember, Theme, Visit


def local(*args) -> dt.datetime:
    """An aware datetime in Belgrade time."""
    return dt.datetime(*args, tzinfo=timezone.get_default_timezone())


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Association {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    kind = Organisation.Kind.ASSOCIATION


class AgreementFactory(factory.django.DjangoModelFactory):
    """In force from 2018 to well after today, covering visits."""

    class Meta:
        model = Agreement

    organisation = factory.SubFactory(OrganisationFactory)
    reference_number = factory.Sequence(lambda n: f"NPM-{n}/2018")
    signed_on = dt.date(2018, 6, 1)
    valid_from = dt.date(2018, 6, 1)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3 * 365))


class MemberFactory(factory.django.DjangoModelFactory):
    """An eligible member: pledge signed, organisation with an agreement covering visits."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    gender = "male"
    expertise = Member.Expertise.LEGAL
    pledge_signed_on = dt.date(2018, 6, 15)

    @factory.post_generation
    def agreement(self, create, extracted, **kwargs):
        wanted = create and extracted is not False
        if wanted and not Agreement.objects.filter(organisation=self.organisation).exists():
            AgreementFactory(organisation=self.organisation)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    place = factory.SubFactory(PlaceFactory)
    kind = Visit.Kind.REGULAR
    # Next week, 09:00–15:00 local time: a day visit whatever the time the tests run.
    planned_start = factory.LazyFunction(
        lambda: local(*(timezone.localdate() + dt.timedelta(days=7)).timetuple()[:3], 9, 0)
    )
    planned_end = factory.LazyAttribute(lambda v: v.planned_start + dt.timedelta(hours=6))
    year = factory.LazyAttribute(lambda v: v.planned_start.year)
    number = factory.Sequence(lambda n: n + 1)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    visit = factory.SubFactory(VisitFactory)
    role = TeamMember.Role.MEMBER


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    visit = factory.SubFactory(VisitFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda i: f"{i.visit.reference}-I{i.sequence:02d}")
    interviewee = Interview.Interviewee.DETAINEE
    notes = "Says he was slapped during arrest."


def theme(code: str = "ill-treatment") -> Theme:
    return Theme.objects.get(code=code)


class ReportFactory(factory.django.DjangoModelFactory):
    """A drafting report with no sections (the create service adds the default ones)."""

    class Meta:
        model = Report

    visit = factory.SubFactory(VisitFactory)
    reference = factory.Sequence(lambda n: f"NPM-2026-{n + 100:03d}")
    title = factory.LazyAttribute(lambda r: f"Report on the visit to {r.visit.place.name}")


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(ReportFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)
    body = "Text of the section."
