from django.urls import path

from .views import answers, citizen, filing, kiosk, public, staff

app_name = "inquiries"

urlpatterns = [
    path("inquiries/", citizen.inquiries_mine, name="mine"),
    path("inquiries/new/", filing.inquiry_new, name="new"),
    path("inquiries/drafts/<uuid:draft_id>/submit/", filing.draft_submit, name="draft_submit"),
    path(
        "inquiries/drafts/<uuid:draft_id>/documents/<int:attachment_id>/delete/",
        filing.draft_attachment_delete,
        name="draft_attachment_delete",
    ),
    path("inquiries/drafts/<uuid:draft_id>/<slug:step>/", filing.draft_step, name="draft_step"),
    path(
        "inquiries/documents/<int:attachment_id>/",
        citizen.attachment_download,
        name="attachment_download",
    ),
    path("inquiries/answers/<int:answer_id>/pdf/", answers.answer_pdf, name="answer_pdf"),
    path(
        "inquiries/answers/<int:answer_id>/pdf/status/",
        answers.answer_pdf_status,
        name="answer_pdf_status",
    ),
    path("inquiries/<str:code>/", citizen.inquiry_detail, name="detail"),
    path("inquiries/<str:code>/submitted/", citizen.inquiry_submitted, name="submitted"),
    path("inquiries/<str:code>/withdraw/", citizen.inquiry_withdraw, name="withdraw"),
    path("inquiries/<str:code>/respond/", citizen.inquiry_respond, name="respond"),
    path("track/", public.track, name="track"),
    path("verify/", answers.verify, name="verify"),
    path("verify/<str:code>/", answers.verify_code, name="verify_code"),
    path("staff/", staff.review_queue, name="review_queue"),
    path("staff/inquiries/<str:code>/", staff.staff_inquiry, name="staff_inquiry"),
    path("staff/inquiries/<str:code>/take/", staff.staff_take, name="staff_take"),
    path("staff/inquiries/<str:code>/assign/", staff.staff_assign, name="staff_assign"),
    path(
        "staff/inquiries/<str:code>/request-info/",
        staff.staff_request_info,
        name="staff_request_info",
    ),
    path("staff/inquiries/<str:code>/answer/", staff.staff_answer, name="staff_answer"),
    path(
        "staff/inquiries/<str:code>/answers/<int:answer_id>/sign/",
        staff.staff_sign,
        name="staff_sign",
    ),
    path(
        "staff/inquiries/<str:code>/answers/<int:answer_id>/revoke/",
        staff.staff_revoke,
        name="staff_revoke",
    ),
    path("kiosk/lookup/", kiosk.kiosk_lookup, name="kiosk_lookup"),
    path("kiosk/file/", kiosk.kiosk_file, name="kiosk_file"),
]
