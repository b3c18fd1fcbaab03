from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views, views_docs

app_name = "api"

urlpatterns = [
    path("inquiries/", views.InquiriesView.as_view(), name="inquiries"),
    path("inquiries/<str:tracking_code>/", views.InquiryView.as_view(), name="inquiry"),
    path(
        "inquiries/<str:tracking_code>/info-answer/",
        views.InfoAnswerView.as_view(),
        name="info_answer",
    ),
    path("inquiries/<str:tracking_code>/answer/", views.AnswerView.as_view(), name="answer"),
    path(
        "inquiries/<str:tracking_code>/answer/pdf/",
        views.AnswerPdfView.as_view(),
        name="answer_pdf",
    ),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("webhooks/", views.WebhooksView.as_view(), name="webhooks"),
    path("webhooks/deliveries/", views.DeliveriesView.as_view(), name="webhook_deliveries"),
    path("webhooks/<int:webhook_id>/", views.WebhookView.as_view(), name="webhook"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("docs/", views_docs.docs, name="docs"),
    re_path(r"", views.NotFoundView.as_view(), name="not_found"),
]
