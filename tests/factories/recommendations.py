import datetime as dt

import factory

from recommendations.models import (
    Assessment,
    AuthorityResponse,
    Recommendation,
    ResponseItem,
)
from tests.factories import AuthorityFactory
from tests.factories.visits import VisitFactory
from visits.models import Theme


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation addressed to its visit's place authority (pass `addressees=[...]` to
    choose)."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    visit = factory.SubFactory(VisitFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Recommendation text number {n}.")
    theme = factory.LazyFunction(lambda: Theme.objects.order_by("order").first())

    @factory.post_generation
    def addressees(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [self.visit.place.authority]
        self.addressees.set(extracted)


class AuthorityResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityResponse

    visit = factory.SubFactory(VisitFactory)
    authority = factory.SubFactory(AuthorityFactory)
    received_on = dt.date(2026, 3, 1)
    reference = factory.Sequence(lambda n: f"72-{n}/2026")


class ResponseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseItem

    response = factory.SubFactory(AuthorityResponseFactory)
    recommendation = factory.SubFactory(RecommendationFactory)
    stated_status = Recommendation.Status.IMPLEMENTED
    explanation = "Done."


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A bare row: real tests record assessments through `assessment_record`."""

    class Meta:
        model = Assessment

    recommendation = factory.SubFactory(RecommendationFactory)
    status = Recommendation.Status.IMPLEMENTED
    basis = Assessment.Basis.OTHER
    assessed_on = dt.date(2026, 4, 1)
