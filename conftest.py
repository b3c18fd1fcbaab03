"""Personas for access tests, so that they read like sentences:
``client_for(reviewer_d1).get(...)`` -> 404 for an inquiry of district 3."""

import pytest
from django.test import Client

from accounts.tests.factories import CitizenFactory, UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district


@pytest.fixture(autouse=True)
def _broker_tried_afresh():
    """A test that made the broker or the cache fail must not leave the next test without them."""
    from shahrvand.queueing import broker_pause_reset
    from shahrvand.ratelimit import shared_cache_retry

    broker_pause_reset()
    shared_cache_retry()
    yield
    broker_pause_reset()
    shared_cache_retry()
    # Celery keeps "a task is running here, do not wait for results" in one global flag, set and
    # restored around every eager task. Two eager tasks at once in a live server's threads can
    # restore it in the wrong order and leave it set, and a later test's result.get() then fails.
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _isolated_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now_commits(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the version bumps of the kept pages) as a committed write would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def citizen(db):
    return CitizenFactory(first_name="نرگس", last_name="احمدی")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(first_name="بهرام", last_name="رضایی")


def _district_staff(username: str, number: int, role: str, *, can_sign: bool = False):
    user = UserFactory(username=username)
    DistrictMembershipFactory(user=user, district=district(number), role=role, can_sign=can_sign)
    return user


@pytest.fixture
def reviewer_d1(db):
    return _district_staff("reviewer-d1", 1, DistrictRole.REVIEWER)


@pytest.fixture
def reviewer_d3(db):
    return _district_staff("reviewer-d3", 3, DistrictRole.REVIEWER)


@pytest.fixture
def manager_d1(db):
    return _district_staff("manager-d1", 1, DistrictRole.MANAGER, can_sign=True)


@pytest.fixture
def kiosk_clerk(db):
    return _district_staff("kiosk-d1", 1, DistrictRole.KIOSK)


@pytest.fixture
def pishkhan_office(db):
    from counters.tests.factories import OfficeFactory

    return OfficeFactory(kind="counter", number=11012, name="دفتر پیشخوان ۱۱۰۱۲")


@pytest.fixture
def notary_office(db):
    from counters.tests.factories import OfficeFactory

    return OfficeFactory(kind="notary", number=12, name="دفتر اسناد رسمی ۱۲")


@pytest.fixture
def pishkhan_operator(pishkhan_office):
    from counters.tests.factories import OperatorFactory

    return OperatorFactory(office=pishkhan_office, user=UserFactory(username="pishkhan-op")).user


@pytest.fixture
def pishkhan_manager(pishkhan_office):
    from counters.tests.factories import OperatorFactory

    return OperatorFactory(
        office=pishkhan_office, role="manager", user=UserFactory(username="pishkhan-manager")
    ).user


@pytest.fixture
def notary_operator(notary_office):
    from counters.tests.factories import OperatorFactory

    return OperatorFactory(office=notary_office, user=UserFactory(username="notary-op")).user


@pytest.fixture
def ict_admin(db):
    return UserFactory(username="ict-admin", ict_admin=True)


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# Data migrations that load reference data, and the function in each that loads it.
REFERENCE_DATA = [
    ("districts.migrations.0002_urmia_districts", "load"),
    ("districts.migrations.0004_default_service_levels", "load"),
    ("inquiries.migrations.0002_banks_and_append_only_events", "load_banks"),
    ("inquiries.migrations.0004_deficiency_reasons", "load"),
    ("counters.migrations.0002_finding_categories", "load"),
]


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests (browser tests, concurrency tests) empty the tables after each test; this
    loads the reference data again with the data migrations' own functions."""
    import importlib

    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
