import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from districts.models import District
from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.models import Attachment, Inquiry, InquiryEvent, Property
from inquiries.models.choices import DocumentKind
from inquiries.tests.factories import InquiryFactory, complete_draft, png_upload
from inquiries.tracking import tracking_code_is_valid
from inquiries.workflow import Action, Channel, InquiryStatus
from shahrvand import sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


@pytest.mark.parametrize("kind", list(InquiryKind))
def test_submit_each_kind_makes_an_inquiry_with_event_details_documents_and_sms(
    citizen, kind, django_capture_on_commit_callbacks
):
    draft = complete_draft(citizen, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_submit(actor=citizen, draft=draft)
    assert inquiry.status == InquiryStatus.SUBMITTED
    assert inquiry.district.number == 1
    assert inquiry.channel == Channel.WEB
    assert tracking_code_is_valid(inquiry.tracking_code)
    assert getattr(inquiry, kind).pk
    assert inquiry.attachments.count() == (1 if kind == InquiryKind.TRANSFER else 2)
    event = inquiry.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.SUBMIT,
        "",
        InquiryStatus.SUBMITTED,
        citizen,
    )
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == citizen.mobile
    assert inquiry.tracking_code_display() in sms.outbox[0].text
    assert "کد رهگیری" in sms.outbox[0].text


def test_submitting_the_same_draft_twice_makes_one_inquiry(citizen):
    draft = complete_draft(citizen)
    first = services.inquiry_submit(actor=citizen, draft=draft)
    second = services.inquiry_submit(actor=citizen, draft=draft)
    assert first.pk == second.pk
    assert Inquiry.objects.count() == 1
    assert InquiryEvent.objects.count() == 1


def test_the_same_property_filed_twice_reuses_one_row(citizen, other_citizen):
    services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    services.inquiry_submit(
        actor=other_citizen,
        draft=complete_draft(other_citizen, renovation_code="۱-۳-۴۵-۱۲-۰-۰-۰"),
    )
    assert Property.objects.count() == 1
    assert Inquiry.objects.values("property").distinct().count() == 1


def test_district_comes_from_the_renovation_code(citizen):
    inquiry = services.inquiry_submit(
        actor=citizen, draft=complete_draft(citizen, renovation_code="3-1-2-3-0-0-0")
    )
    assert inquiry.district.number == 3
    assert inquiry.property.district.number == 3


def test_district_not_online_is_refused_and_nothing_is_created(citizen):
    draft = complete_draft(citizen, renovation_code="2-1-2-3-0-0-0")
    with pytest.raises(services.DistrictNotOnline) as refusal:
        services.inquiry_submit(actor=citizen, draft=draft)
    assert refusal.value.district.number == 2
    assert not Inquiry.objects.exists()
    draft.refresh_from_db()
    assert draft.inquiry is None
    assert draft.attachments.count() == 1  # the uploads stay with the draft


def test_switching_a_district_online_is_a_data_change(citizen):
    District.objects.filter(number=2).update(transfer_online_since="2024-01-01")
    inquiry = services.inquiry_submit(
        actor=citizen, draft=complete_draft(citizen, renovation_code="2-1-2-3-0-0-0")
    )
    assert inquiry.district.number == 2


def test_one_kind_online_another_not(citizen):
    District.objects.filter(number=4).update(bank_online_since=None)
    services.inquiry_submit(
        actor=citizen, draft=complete_draft(citizen, renovation_code="4-1-1-1-0-0-0")
    )
    with pytest.raises(services.DistrictNotOnline):
        services.inquiry_submit(
            actor=citizen,
            draft=complete_draft(citizen, kind=InquiryKind.BANK, renovation_code="4-1-1-1-0-0-0"),
        )


def test_incomplete_draft_is_refused_with_what_is_missing(citizen):
    draft = complete_draft(citizen, kind=InquiryKind.BANK)
    draft.attachments.filter(kind=DocumentKind.BANK_LETTER).delete()
    draft.data.pop("details")
    draft.save()
    with pytest.raises(services.DraftIncomplete) as refusal:
        services.inquiry_submit(actor=citizen, draft=draft)
    assert set(refusal.value.missing) == {"details", "document:bank_letter"}


def test_attorney_needs_the_power_of_attorney(citizen):
    draft = complete_draft(citizen)
    draft.data["applicant"]["relation"] = "attorney"
    draft.save()
    with pytest.raises(services.DraftIncomplete) as refusal:
        services.inquiry_submit(actor=citizen, draft=draft)
    assert refusal.value.missing == ["document:power_of_attorney"]


def test_nobody_submits_someone_elses_draft(citizen, other_citizen):
    with pytest.raises(PermissionDenied):
        services.inquiry_submit(actor=other_citizen, draft=complete_draft(citizen))


def test_unknown_district_in_renovation_code():
    with pytest.raises(ValidationError) as error:
        services.district_for_renovation_code("9-1-1-1-0-0-0")
    assert error.value.code == "renovation_code_district"


def test_withdraw_before_review(citizen):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_withdraw(actor=citizen, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.WITHDRAWN
    assert inquiry.events.last().action == Action.WITHDRAW


def test_no_withdraw_once_review_started(citizen):
    inquiry = InquiryFactory(applicant=citizen, in_review=True)
    with pytest.raises(services.TransitionNotAllowed) as refusal:
        services.inquiry_withdraw(actor=citizen, inquiry=inquiry)
    assert refusal.value.inquiry.status == InquiryStatus.IN_REVIEW
    assert inquiry.events.count() == 1


def test_only_the_applicant_withdraws(citizen, other_citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen)
    for stranger in (other_citizen, reviewer_d1):
        with pytest.raises(PermissionDenied):
            services.inquiry_withdraw(actor=stranger, inquiry=inquiry)


def test_needs_info_round_trip(citizen, reviewer_d1, django_capture_on_commit_callbacks):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_info_request(
            actor=reviewer_d1, inquiry=inquiry, note="تصویر سند خوانا نیست."
        )
    assert "اطلاعات تکمیلی" in sms.outbox[-1].text
    services.inquiry_resubmit(
        actor=citizen,
        inquiry=inquiry,
        note="سند دوباره اسکن شد.",
        uploads=[(DocumentKind.DEED, png_upload("new-deed.png"))],
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RESUBMITTED
    assert [e.action for e in inquiry.events.all()] == [
        Action.SUBMIT,
        Action.START_REVIEW,
        Action.REQUEST_INFO,
        Action.RESUBMIT,
    ]
    assert inquiry.attachments.get().original_name == "new-deed.png"


def test_resubmit_needs_a_document(citizen):
    inquiry = InquiryFactory(applicant=citizen, needs_info=True)
    with pytest.raises(services.InquiryError):
        services.inquiry_resubmit(actor=citizen, inquiry=inquiry, note="x", uploads=[])
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEEDS_INFO


def test_reviewer_of_another_district_cannot_act(reviewer_d3, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    with pytest.raises(PermissionDenied):
        services.inquiry_review_start(actor=reviewer_d3, inquiry=inquiry)


def test_events_are_append_only(citizen):
    inquiry = InquiryFactory(applicant=citizen)
    event = inquiry.events.get()
    event.note = "changed"
    with pytest.raises(Exception, match="never changed"):
        event.save()
    with pytest.raises(Exception, match="never deleted"):
        event.delete()


def test_draft_attachment_file_name_never_comes_from_the_user(citizen):
    draft = complete_draft(citizen)
    attachment = services.draft_attachment_add(
        actor=citizen, draft=draft, kind=DocumentKind.OTHER, upload=png_upload("../../evil.png")
    )
    assert "evil" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".png")


def test_removing_a_draft_attachment_deletes_its_file(citizen, django_capture_on_commit_callbacks):
    draft = complete_draft(citizen)
    attachment = draft.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_attachment_remove(actor=citizen, attachment=attachment)
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


def test_submitted_attachments_cannot_be_removed(citizen):
    draft = complete_draft(citizen)
    services.inquiry_submit(actor=citizen, draft=draft)
    with pytest.raises(PermissionDenied):
        services.draft_attachment_remove(actor=citizen, attachment=Attachment.objects.get())


def test_attachment_limit(citizen, settings):
    settings.ATTACHMENTS_PER_INQUIRY = 1
    draft = complete_draft(citizen)
    with pytest.raises(services.InquiryError):
        services.draft_attachment_add(
            actor=citizen, draft=draft, kind=DocumentKind.OTHER, upload=png_upload()
        )


def test_stale_drafts_are_purged_with_their_files(
    citizen, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from inquiries.models import InquiryDraft

    stale = complete_draft(citizen)
    fresh = complete_draft(citizen)
    submitted = complete_draft(citizen)
    services.inquiry_submit(actor=citizen, draft=submitted)
    old = timezone.now() - dt.timedelta(days=settings.DRAFT_TTL_DAYS + 1)
    InquiryDraft.objects.filter(pk__in=[stale.pk, submitted.pk]).update(updated_at=old)
    file = stale.attachments.get().file
    storage, name = file.storage, file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.drafts_purge_stale() == 1
    assert set(InquiryDraft.objects.values_list("pk", flat=True)) == {fresh.pk, submitted.pk}
    assert not storage.exists(name)
    assert services.drafts_purge_stale() == 0
