import factory

from accounts.tests.factories import UserFactory
from counters.models import CounterOffice, OfficeKind, OfficeMembership, OfficeRole
from districts.tests.factories import district


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounterOffice

    kind = OfficeKind.COUNTER
    number = factory.Sequence(lambda n: 11000 + n)
    name = factory.LazyAttribute(lambda o: f"دفتر {o.number}")
    licence = factory.Sequence(lambda n: f"L-{n}")
    district = factory.LazyFunction(lambda: district(1))
    address = "ارومیه، خیابان امام"


class OperatorFactory(factory.django.DjangoModelFactory):
    """An office membership with its user: ``OperatorFactory(office=..., role="manager")``."""

    class Meta:
        model = OfficeMembership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = OfficeRole.OPERATOR
