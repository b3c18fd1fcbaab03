from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from districts.models import District
from inquiries.property_codes import plate_text

from .choices import BuildingStatus, LandUse


class Property(models.Model):
    """A property as the municipality knows it, identified by its renovation code. Filing for the same
    property again reuses this row; what an applicant declared at filing is kept on the inquiry."""

    renovation_code = models.CharField(_("renovation code"), max_length=40, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="properties", verbose_name=_("district")
    )
    plate_main = models.PositiveIntegerField(
        _("main plate"), validators=[MinValueValidator(1), MaxValueValidator(99_999)]
    )
    plate_sub = models.PositiveIntegerField(
        _("sub-plate"), null=True, blank=True, validators=[MaxValueValidator(999_999)]
    )
    registration_section = models.PositiveSmallIntegerField(
        _("registration section"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    address = models.CharField(_("address"), max_length=300)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(10_000_000)],
    )
    land_use = models.CharField(_("land use"), max_length=20, choices=LandUse.choices)
    building_status = models.CharField(
        _("building status"), max_length=20, choices=BuildingStatus.choices
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        indexes = [models.Index(fields=["plate_main", "plate_sub", "registration_section"])]

    def __str__(self) -> str:
        return self.renovation_code

    @property
    def plate_display(self) -> str:
        return plate_text(self.plate_main, self.plate_sub, self.registration_section)
