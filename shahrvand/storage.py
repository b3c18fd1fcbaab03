"""Static files storage for production: hashed names, compressed copies, and tolerance for third-party
CSS or JS that refers to files its package does not ship (django-jalali's datepicker theme, the
source maps we leave out of static/vendor)."""

import logging

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


def private_storage():
    """Attachments and answer PDFs: outside the media and static URL space, served only by views
    that check who is asking."""
    from django.core.files.storage import storages

    return storages["private"]
