from django.urls import path
from django.utils.translation import gettext_lazy as _

from shahrvand.views import coming

from .views import citizen, filing, public

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
    path("inquiries/<str:code>/", citizen.inquiry_detail, name="detail"),
    path("inquiries/<str:code>/submitted/", citizen.inquiry_submitted, name="submitted"),
    path("inquiries/<str:code>/withdraw/", citizen.inquiry_withdraw, name="withdraw"),
    path("inquiries/<str:code>/respond/", citizen.inquiry_respond, name="respond"),
    path("track/", public.track, name="track"),
    path("verify/", coming, {"title": _("Verify an answer")}, name="verify"),
    path("staff/", coming, {"title": _("Review queue")}, name="review_queue"),
]
