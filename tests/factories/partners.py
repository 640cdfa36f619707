import datetime

import factory

from partners.models import (
    Agreement,
    Application,
    Event,
    Member,
    Network,
    NetworkMembership,
    Organisation,
    Project,
    ProjectResult,
    PublicCall,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Human Rights Association {n}")
    short_name = factory.Sequence(lambda n: f"HRA{n}")
    kind = Organisation.Kind.ASSOCIATION


class PublicCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicCall

    title = factory.Sequence(lambda n: f"Public invitation {n}")
    gazette_reference = "Official Gazette of the Republic of Serbia No. 25/2018"
    published_on = datetime.date(2018, 3, 30)
    application_deadline = datetime.date(2018, 4, 16)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(PublicCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    received_on = datetime.date(2018, 4, 10)


class AgreementFactory(factory.django.DjangoModelFactory):
    """By default in force from 2020 to the end of 2030, covering visits."""

    class Meta:
        model = Agreement

    organisation = factory.SubFactory(OrganisationFactory)
    reference_number = factory.Sequence(lambda n: f"NPM-{n:03d}")
    signed_on = datetime.date(2019, 12, 20)
    valid_from = datetime.date(2020, 1, 1)
    valid_until = datetime.date(2030, 12, 31)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    expertise = Member.Expertise.LEGAL
    pledge_signed_on = datetime.date(2020, 1, 15)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"NPM Network {n}")


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FOREIGN_NPM)
    status = NetworkMembership.Status.MEMBER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Training {n}")
    kind = Event.Kind.TRAINING
    starts_on = datetime.date(2018, 5, 15)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    starts_on = datetime.date(2013, 4, 1)
    ends_on = datetime.date(2014, 4, 30)


class ProjectResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectResult

    project = factory.SubFactory(ProjectFactory)
    description = "Asylum seekers provided with free legal aid."
    target_value = 500
