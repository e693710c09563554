import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from exhibitors.models import Membership, Role

from .exhibitors import ExhibitorFactory


class UserFactory(DjangoModelFactory):
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    username = factory.LazyAttribute(lambda o: o.email)
    password = factory.django.Password("member-pass-2026")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)


class MembershipFactory(DjangoModelFactory):
    """An owner of a new exhibitor unless told otherwise (pass buyer=... and exhibitor=None)."""

    user = factory.SubFactory(UserFactory)
    exhibitor = factory.SubFactory(ExhibitorFactory)
    role = Role.OWNER

    class Meta:
        model = Membership
