import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from inquiries.models import Answer, Inquiry
from inquiries.workflow import InquiryStatus

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_can_be_loaded_twice(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    User = get_user_model()
    assert User.objects.get(username="reviewer1").check_password("shahrvand-demo")
    assert User.objects.get(username="admin").is_superuser
    statuses = sorted(Inquiry.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            InquiryStatus.SUBMITTED,
            InquiryStatus.IN_REVIEW,
            InquiryStatus.NEEDS_INFO,
            InquiryStatus.ANSWERED,
        ]
    )
    assert Answer.objects.get().pdf_rendered_at is not None


def test_demo_data_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
