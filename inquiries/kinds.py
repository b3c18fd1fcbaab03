"""The three inquiry kinds (domain notes). Plain choices with no model imports, so that districts can
say which kinds are online without depending on the inquiries models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryKind(models.TextChoices):
    TRANSFER = "transfer", _("Property transfer")
    BANK = "bank", _("Bank")
    AGENCY = "agency", _("Government agency")
