from django.db import models
from django.utils.translation import gettext_lazy as _


class LandUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    INDUSTRIAL = "industrial", _("Industrial")
    EDUCATIONAL = "educational", _("Educational")
    HEALTHCARE = "healthcare", _("Healthcare")
    AGRICULTURAL = "agricultural", _("Agricultural (garden or farmland)")
    MIXED = "mixed", _("Mixed use")
    OTHER = "other", _("Other")


class BuildingStatus(models.TextChoices):
    LAND = "land", _("Vacant land")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed building")
    OLD = "old", _("Old building (before permits were required)")


class ApplicantRelation(models.TextChoices):
    OWNER = "owner", _("Owner")
    ATTORNEY = "attorney", _("Attorney (with power of attorney)")


class TransactionType(models.TextChoices):
    SALE = "sale", _("Sale")
    RECONCILIATION = "reconciliation", _("Settlement (solh)")
    GIFT = "gift", _("Gift")
    EXCHANGE = "exchange", _("Exchange")
    INHERITANCE = "inheritance", _("Division of an inheritance")
    OTHER = "other", _("Other")


class FacilityType(models.TextChoices):
    MORTGAGE = "mortgage", _("Mortgage")
    CONSTRUCTION = "construction", _("Construction loan")
    REPAIR = "repair", _("Repair or renovation loan")
    PURCHASE = "purchase", _("Purchase loan")
    OTHER = "other", _("Other")


class AgencyType(models.TextChoices):
    COURT = "court", _("Court or judiciary")
    LAND_REGISTRY = "land_registry", _("Land registry (deeds office)")
    TAX = "tax", _("Tax administration")
    SOCIAL_SECURITY = "social_security", _("Social security")
    ENFORCEMENT = "enforcement", _("Enforcement of judgments")
    OTHER = "other", _("Other agency")


class DocumentKind(models.TextChoices):
    DEED = "deed", _("Ownership deed or title document")
    NATIONAL_CARD = "national_card", _("National ID card")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
    BANK_LETTER = "bank_letter", _("The bank's letter")
    AGENCY_LETTER = "agency_letter", _("The agency's letter")
    CERTIFICATE = "certificate", _("Completion or no-violation certificate")
    OTHER = "other", _("Other document")
