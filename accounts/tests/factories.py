import random

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import ICT_ADMIN_GROUP


def valid_national_id(seed: int | None = None) -> str:
    """A random national ID whose check digit is right (and not ten equal digits)."""
    rng = random.Random(seed)
    while True:
        body = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * (10 - i) for i, d in enumerate(body)) % 11
        check = total if total < 2 else 11 - total
        value = "".join(map(str, body)) + str(check)
        if len(set(value)) > 1:
            return value


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "کاربر"
    last_name = factory.Sequence(lambda n: f"شماره {n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "secret-pass-1401")
        if create:
            obj.save()

    class Params:
        ict_admin = factory.Trait(
            is_staff=True,
            groups=factory.PostGeneration(
                lambda obj, create, extracted, **kw: obj.groups.add(
                    Group.objects.get_or_create(name=ICT_ADMIN_GROUP)[0]
                )
            ),
        )


class CitizenFactory(UserFactory):
    national_id = factory.Sequence(lambda n: valid_national_id(seed=n + 1000))
    username = factory.LazyAttribute(lambda o: o.national_id)
    mobile = factory.Sequence(lambda n: f"0912{n:07d}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        # Citizens sign in by SMS code only.
        obj.set_unusable_password()
        if create:
            obj.save()
