"""Institutions as personas: a bank with a branch, another bank, a court and a notary office's
system, each with a key of every scope; ``api_as(key)`` is a client that sends it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from api import services
from api.models import Institution, InstitutionBranch
from inquiries.models import Bank

ALL_SCOPES = ["file", "read", "verify", "webhooks"]


@pytest.fixture(autouse=True)
def _loopback_receivers(settings):
    """The tests' webhook receivers listen on 127.0.0.1, which production refuses."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def register(actor, **fields) -> Institution:
    return services.institution_register(actor=actor, institution=Institution(**fields))


def key_for(actor, institution, scopes=ALL_SCOPES, *, days=30) -> str:
    return services.credential_issue(
        actor=actor,
        institution=institution,
        label="system",
        scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
    ).key


@pytest.fixture
def bank_institution(ict_admin):
    bank = register(
        ict_admin,
        kind="bank",
        name="بانک ملی، استان آذربایجان غربی",
        bank=Bank.objects.get(code="melli"),
    )
    InstitutionBranch.objects.create(institution=bank, code="1234", name="شعبه مرکزی ارومیه")
    return bank


@pytest.fixture
def other_bank(ict_admin):
    bank = register(ict_admin, kind="bank", name="بانک ملت", bank=Bank.objects.get(code="mellat"))
    InstitutionBranch.objects.create(institution=bank, code="77", name="شعبه خیام")
    return bank


@pytest.fixture
def court_institution(ict_admin):
    return register(ict_admin, kind="court", name="دادگستری ارومیه")


@pytest.fixture
def notary_institution(ict_admin, notary_office):
    return register(ict_admin, kind="notary", name="سامانه دفتر ۱۲", office=notary_office)


@pytest.fixture
def bank_key(ict_admin, bank_institution):
    return key_for(ict_admin, bank_institution)


@pytest.fixture
def other_bank_key(ict_admin, other_bank):
    return key_for(ict_admin, other_bank)


class ApiClient(Client):
    def __init__(self, key: str | None = None, **kwargs):
        if key:
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        super().__init__(**kwargs)


@pytest.fixture
def api_as():
    return ApiClient


def png_file(name: str = "deed.png", colour=(200, 30, 30)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def filing_data(**changes) -> dict:
    """A bank's filing as its system posts it (multipart), with the required documents."""
    from accounts.tests.factories import valid_national_id

    data = {
        "renovation_code": "1-3-45-12-0-0-0",
        "plate_main": "56",
        "plate_sub": "1234",
        "registration_section": "2",
        "address": "ارومیه، خیابان امام، کوچه ۱۲",
        "area_m2": "150.50",
        "land_use": "residential",
        "building_status": "completed",
        "national_id": valid_national_id(seed=11),
        "mobile": "09121234567",
        "first_name": "نرگس",
        "last_name": "احمدی",
        "relation": "owner",
        "branch_code": "1234",
        "facility_type": "mortgage",
        "letter_number": "45/1234",
        "letter_date": "1404/09/01",
        "deed": png_file("deed.png"),
        "bank_letter": png_file("letter.png", (10, 200, 10)),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
