from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Bank(models.Model):
    """Iranian banks and credit institutions. A list in the database, because banks merge and close;
    the ICT organisation keeps it current in the admin (inactive banks stay on old inquiries)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order in lists"), default=100)

    class Meta:
        ordering = ["order", "name_fa"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self) -> str:
        lang = translation.get_language() or "fa"
        return self.name_fa if lang.startswith("fa") else self.name_en
