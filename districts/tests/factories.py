import factory

from accounts.tests.factories import UserFactory
from districts.models import District, DistrictMembership, DistrictRole


def district(number: int) -> District:
    """The districts come from the data migration; tests use them, not copies."""
    return District.objects.get(number=number)


class DistrictMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictMembership

    user = factory.SubFactory(UserFactory)
    district = factory.LazyFunction(lambda: district(1))
    role = DistrictRole.REVIEWER
