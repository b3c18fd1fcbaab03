"""Demo accounts for the embedded default, so a newcomer can sign in at once. Idempotent."""

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
        self.stdout.write("Demo accounts (staff sign-in at /accounts/login/):")
        self.stdout.write("\n".join(lines))
