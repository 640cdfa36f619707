import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role, sync_roles
from visits.models import Authority, Place

PASSWORD = "test-pass-for-everyone-2026"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                if not Group.objects.filter(name=Role(role).value).exists():
                    # A transactional test flushed the groups the data migration made.
                    sync_roles()
                self.groups.add(Group.objects.get(name=Role(role).value))


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Ministry number {n}")
    kind = Authority.Kind.MINISTRY


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Police Station {n}")
    category = Place.Category.POLICE
    authority = factory.SubFactory(AuthorityFactory)
    municipality = "Kruševac"
    district = "Rasina"
    capacity = 6
