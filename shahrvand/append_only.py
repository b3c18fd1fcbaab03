"""Records that are written once and never changed: the inquiries' events and the audit of power.

Refused here in Python (the model and its queryset) and, on PostgreSQL, by a trigger each table's
migration installs, so that not even a raw UPDATE changes history."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnlyModel(models.Model):
    """Saved once; a second save or a delete raises ``AppendOnlyError``."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never deleted")
