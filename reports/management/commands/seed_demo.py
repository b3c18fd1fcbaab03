"""Demo accounts for the embedded default, so a newcomer can sign in at once. Idempotent.

It lives with the reports because it seeds every app (accounts, districts, inquiries, counters),
and reports is the one app that sits on top of them all."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import ICT_ADMIN_GROUP
from districts.models import District, DistrictMembership, DistrictRole

DEMO_PASSWORD = "shahrvand-demo"

# username, first name, last name, (district number, role, may sign) or None, ICT admin?
STAFF = [
    ("admin", "مدیر", "سامانه", None, True),
    ("reviewer1", "مریم", "کارشناس منطقه یک", (1, DistrictRole.REVIEWER, False), False),
    ("manager1", "رضا", "مدیر منطقه یک", (1, DistrictRole.MANAGER, True), False),
    ("kiosk1", "سارا", "باجه منطقه یک", (1, DistrictRole.KIOSK, False), False),
    ("reviewer3", "علی", "کارشناس منطقه سه", (3, DistrictRole.REVIEWER, False), False),
]
# A citizen signs in by SMS code; these are the details to type.
CITIZENS = [("0012345679", "09120000001", "نرگس", "شهروند")]


class Command(BaseCommand):
    help = "Create the demo accounts (embedded default only) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a real deployment).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to create demo accounts with DEBUG off (use --force).")
        User = get_user_model()
        ict_group, _created = Group.objects.get_or_create(name=ICT_ADMIN_GROUP)
        lines = []
        for username, first, last, membership, ict in STAFF:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.is_staff = ict
            user.is_superuser = username == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            if ict:
                user.groups.add(ict_group)
            what = "ICT admin"
            if membership:
                number, role, can_sign = membership
                DistrictMembership.objects.update_or_create(
                    user=user,
                    district=District.objects.get(number=number),
                    role=role,
                    defaults={"can_sign": can_sign, "is_active": True},
                )
                what = f"district {number} {role}"
            lines.append(f"  {username:<10} {DEMO_PASSWORD}   ({what})")
        for national_id, mobile, first, last in CITIZENS:
            citizen, _created = User.objects.get_or_create(username=national_id)
            citizen.national_id, citizen.mobile = national_id, mobile
            citizen.first_name, citizen.last_name = first, last
            citizen.set_unusable_password()  # citizens sign in by SMS code only
            citizen.save()
            lines.append(f"  citizen    national ID {national_id}, mobile {mobile} (code by SMS)")
        lines += _demo_offices()
        made = _demo_inquiries(User.objects.get(national_id=CITIZENS[0][0]))
        self.stdout.write("Demo accounts (staff sign-in at /accounts/login/):")
        self.stdout.write("\n".join(lines))
        if made:
            self.stdout.write(f"Demo inquiries for the citizen: {made} (district 1)")


def _demo_document():
    """A small PNG, passed through the same inspection as any upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from inquiries.uploads import upload_inspect

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (235, 240, 245)).save(buffer, "PNG")
    upload = SimpleUploadedFile("sanad.png", buffer.getvalue(), content_type="image/png")
    return upload_inspect(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)


def _demo_inquiries(citizen) -> int:
    """A few inquiries of district 1 in different states, once: so the queue, the kiosk and the
    citizen's pages have something to show. Made through the services, like real ones."""
    from inquiries import services
    from inquiries.models import Inquiry
    from inquiries.models.choices import DocumentKind
    from inquiries.workflow import Channel

    if Inquiry.objects.filter(applicant_national_id=citizen.national_id).exists():
        return 0
    User = get_user_model()
    reviewer = User.objects.get(username="reviewer1")
    manager = User.objects.get(username="manager1")
    made = []
    for number in range(4):
        draft = services.draft_start(actor=citizen, kind="transfer", channel=Channel.WEB)
        draft.data = {
            "property": {
                "renovation_code": f"1-3-{45 + number}-12-0-0-0",
                "plate_main": 56 + number,
                "plate_sub": 1234,
                "registration_section": 2,
                "address": f"ارومیه، خیابان امام، کوچه {12 + number}",
                "area_m2": "150",
                "land_use": "residential",
                "building_status": "completed",
            },
            "applicant": {
                "national_id": citizen.national_id,
                "mobile": citizen.mobile,
                "first_name": citizen.first_name,
                "last_name": citizen.last_name,
                "relation": "owner",
                "owner_national_id": "",
                "owner_name": "",
            },
            "details": {
                "transaction_type": "sale",
                "seller_national_id": citizen.national_id,
                "seller_name": f"{citizen.first_name} {citizen.last_name}",
                "notes": "",
            },
        }
        draft.save()
        services.draft_attachment_add(
            actor=citizen, draft=draft, kind=DocumentKind.DEED, upload=_demo_document()
        )
        made.append(services.inquiry_submit(actor=citizen, draft=draft))
    _submitted, in_review, needs_info, answered = made
    services.inquiry_review_start(actor=reviewer, inquiry=in_review)
    services.inquiry_review_start(actor=reviewer, inquiry=needs_info)
    services.inquiry_info_request(
        actor=reviewer, inquiry=needs_info, note="لطفاً تصویر خوانای صفحه دوم سند را بفرستید."
    )
    services.inquiry_review_start(actor=reviewer, inquiry=answered)
    answer = services.answer_prepare(
        actor=reviewer,
        inquiry=answered,
        data={"decision": "no_objection", "building_status": "completed"},
        dues=[("عوارض نوسازی", 1_250_000)],
    )
    services.answer_sign(actor=manager, answer=answer)
    return len(made)


# username, office kind, office number, role
OPERATORS = [
    ("pishkhan1", "counter", 11012, "manager"),
    ("pishkhan2", "counter", 11012, "operator"),
    ("notary12", "notary", 12, "manager"),
]


def _demo_offices() -> list[str]:
    """The sample registry (counters/sample-offices.csv) and operators for two of its offices."""
    from counters.imports import offices_import_csv
    from counters.models import CounterOffice, OfficeMembership

    sample = settings.BASE_DIR / "counters" / "sample-offices.csv"
    result = offices_import_csv(sample.read_bytes())
    if not result.ok:
        raise CommandError(f"the sample offices do not import: {result.errors}")
    User = get_user_model()
    lines = []
    for username, kind, number, role in OPERATORS:
        office = CounterOffice.objects.get(kind=kind, number=number)
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = "کاربر", office.name
        user.set_password(DEMO_PASSWORD)
        user.save()
        OfficeMembership.objects.update_or_create(
            user=user, office=office, defaults={"role": role, "is_active": True}
        )
        lines.append(f"  {username:<10} {DEMO_PASSWORD}   ({kind} office {number}, {role})")
    return lines
