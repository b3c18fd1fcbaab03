"""The three inquiry kinds (domain notes), as plain choices.

They are defined here, below the inquiries app, because a district is configured kind by kind: the
date each kind goes online there, its service level per kind. The inquiries app, which builds on
the districts, names them as ``inquiries.kinds.InquiryKind``; both are this one class."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryKind(models.TextChoices):
    TRANSFER = "transfer", _("Property transfer")
    BANK = "bank", _("Bank")
    AGENCY = "agency", _("Government agency")
