"""The daily overdue summary for district managers."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext

from districts.models import District, DistrictRole, OverdueNotice
from shahrvand.sms import sms_enqueue
from shahrvand.text import localize_digits

from ..selectors import inquiries_overdue

logger = logging.getLogger(__name__)


def overdue_notify_managers(today=None) -> int:
    """One SMS per manager of each district with overdue inquiries, at most once a day."""
    today = today or timezone.localdate()
    counts = dict(
        inquiries_overdue(today=today)
        .values_list("district")
        .annotate(n=Count("pk"))
        .values_list("district", "n")
    )
    sent = 0
    # Tomorrow's notice counts afresh: today's is not worth sending after the day is over.
    notice_expires = timezone.now() + timedelta(hours=12)
    for district in District.objects.filter(pk__in=counts):
        try:
            with transaction.atomic():
                OverdueNotice.objects.create(
                    district=district, day=today, overdue_count=counts[district.pk]
                )
                managers = district.memberships.filter(
                    role=DistrictRole.MANAGER, is_active=True, user__is_active=True
                ).select_related("user")
                with translation.override("fa"):
                    text = gettext(
                        "Urmia municipality, %(district)s: %(count)s inquiries are past their "
                        "due date. See the review queue."
                    ) % {"district": district.name, "count": localize_digits(counts[district.pk])}
                for membership in managers:
                    if membership.user.mobile:
                        sms_enqueue(to=membership.user.mobile, text=text, expires_at=notice_expires)
                        sent += 1
        except IntegrityError:
            continue  # already sent today
    return sent
