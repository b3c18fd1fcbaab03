"""Static files storage for production: hashed names, compressed copies, and tolerance for third-party
CSS or JS that refers to files its package does not ship (django-jalali's datepicker theme, the
source maps we leave out of static/vendor). And the private files' storage."""

import logging

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class TolerantManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant(matchobj):
            try:
                return convert(matchobj)
            except ValueError as exc:
                # A dangling reference stays as it was instead of failing the whole collectstatic.
                logger.warning("static file %s: kept unresolved reference (%s)", name, exc)
                return matchobj.group(0)

        return tolerant


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used and again after the setting changes (a
    FileField keeps the storage it was given when its model was defined)."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """Attachments and answer PDFs: outside the media and static URL space, served only by views
    that check who is asking. A local folder or a private bucket (settings/files.py): use the
    storage API (open, save, exists, delete), never a filesystem path."""
    return _private
