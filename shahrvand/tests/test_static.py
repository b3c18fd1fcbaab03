from pathlib import Path

from django.core.management import call_command
from django.test import override_settings


def test_production_static_storage_collects_everything(tmp_path):
    """django-jalali's CSS and our vendor files refer to files that are not shipped; collectstatic
    with hashed names must still succeed, and hashed names must resolve."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "shahrvand.storage.TolerantManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")
    assert (tmp_path / "staticfiles.json").exists()
    hashed_css = next(Path(tmp_path, "css").glob("site.*.css"))
    assert "Vazirmatn-Regular." in hashed_css.read_text()


def test_vendor_assets_are_self_hosted_with_licences():
    root = Path(__file__).resolve().parents[2] / "static" / "vendor"
    for required in [
        "bootstrap/bootstrap.rtl.min.css",
        "bootstrap/LICENSE",
        "htmx/htmx.min.js",
        "htmx/LICENSE",
        "vazirmatn/Vazirmatn-Regular.woff2",
        "vazirmatn/Vazirmatn-Regular.ttf",
        "vazirmatn/OFL.txt",
    ]:
        assert (root / required).is_file(), required
