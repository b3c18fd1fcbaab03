"""Signed answers keep what they were when signed.

The signer's role was stored as words in the signer's interface language ("District manager، منطقه
۱" from a manager who read the site in English); it becomes the code of their district role, which
the letter prints in Persian and each page shows in its reader's language. And ``prepared_at`` was
overwritten on signing (``auto_now``): it goes back to the last preparation before the signature,
as the inquiry's history recorded it."""

from django.db import migrations

# Every label the code ever stored, in the two interface languages, before the district's name.
MANAGER_LABELS = ("مدیر منطقه", "District manager")
REVIEWER_LABELS = ("کارشناس بررسی", "Reviewer")
CODES = ("manager", "reviewer")


def _code(answer, DistrictMembership) -> str:
    text = answer.signer_role.strip()
    if text.startswith(MANAGER_LABELS):
        return "manager"
    if text.startswith(REVIEWER_LABELS):
        return "reviewer"
    # Words no version wrote: decided again the way signing decided it.
    manages = DistrictMembership.objects.filter(
        user_id=answer.signed_by_id, district_id=answer.inquiry.district_id, role="manager"
    ).exists()
    return "manager" if manages else "reviewer"


def records_as_signed(apps, schema_editor):
    Answer = apps.get_model("inquiries", "Answer")
    InquiryEvent = apps.get_model("inquiries", "InquiryEvent")
    DistrictMembership = apps.get_model("districts", "DistrictMembership")
    worded = Answer.objects.exclude(signer_role="").exclude(signer_role__in=CODES)
    for answer in worded.select_related("inquiry").order_by("pk"):
        Answer.objects.filter(pk=answer.pk).update(signer_role=_code(answer, DistrictMembership))
    for answer in Answer.objects.filter(signed_at__isnull=False).order_by("pk"):
        prepared = (
            InquiryEvent.objects.filter(
                inquiry_id=answer.inquiry_id,
                action="answer_prepared",
                created_at__lte=answer.signed_at,
            )
            .order_by("-created_at", "-pk")
            .values_list("created_at", flat=True)
            .first()
        )
        if prepared is not None:
            Answer.objects.filter(pk=answer.pk).update(prepared_at=prepared)


def records_as_words(apps, schema_editor):
    """Back to the Persian words (the letters' language), for a rollback."""
    Answer = apps.get_model("inquiries", "Answer")
    labels = {"manager": MANAGER_LABELS[0], "reviewer": REVIEWER_LABELS[0]}
    for answer in Answer.objects.filter(signer_role__in=CODES).select_related("inquiry__district"):
        Answer.objects.filter(pk=answer.pk).update(
            signer_role=f"{labels[answer.signer_role]}، {answer.inquiry.district.name}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0007_release_when_role_ends"),
        ("districts", "0004_default_service_levels"),
    ]

    operations = [migrations.RunPython(records_as_signed, records_as_words)]
