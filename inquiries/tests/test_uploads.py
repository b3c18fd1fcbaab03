import hashlib
import io
import struct
import tracemalloc
import zlib

import pydyf
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import override_settings
from PIL import ExifTags, Image, ImageFile, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from inquiries.uploads import DocumentField, InspectedUpload, UploadRejected, upload_inspect

MB = 1024 * 1024


def _upload(content: bytes, name: str, content_type: str = "application/octet-stream"):
    # Whatever Content-Type the browser claims must not matter; the tests mostly send a generic one.
    return SimpleUploadedFile(name, content, content_type=content_type)


def _inspect(content: bytes, name: str, **kwargs) -> InspectedUpload:
    kwargs.setdefault("max_bytes", 5 * MB)
    return upload_inspect(_upload(content, name), **kwargs)


def _refusal(content: bytes, name: str, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as error:
        _inspect(content, name, **kwargs)
    return error.value


def _jpeg(size=(64, 48), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", **save_options)
    return out.getvalue()


def _png(image: Image.Image | None = None, **save_options) -> bytes:
    out = io.BytesIO()
    (image or Image.new("RGB", (64, 48), (30, 30, 200))).save(out, "PNG", **save_options)
    return out.getvalue()


def _pdf(
    catalog: bytes = b"", trailer: bytes = b"", extra_objects: tuple[bytes, ...] = ()
) -> bytes:
    """A one-page PDF written by hand, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _pypdf(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Accepted --------------------------------------------------------------------------------------


def test_valid_pdf_is_accepted_and_stored_as_sent():
    pdf = _pdf()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # the hand-written PDF is a real one

    inspected = upload_inspect(_upload(pdf, "scan.pdf", "image/png"), max_bytes=MB)

    assert inspected == InspectedUpload(
        content=pdf,
        content_type="application/pdf",
        extension=".pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        original_name="scan.pdf",
    )


def test_pdf_with_compressed_object_streams_from_weasyprint_is_accepted():
    from weasyprint import HTML

    pdf = HTML(string="<h1>پاسخ استعلام</h1><p>شماره ۱۴۰۲</p>").write_pdf()
    assert b"/ObjStm" in pdf

    assert _inspect(pdf, "answer.pdf").content == pdf


def test_pdf_bytes_that_only_resemble_active_content_are_accepted():
    # Compressed data is noise; "/JS" there is not followed by a script, "/JSON" is another name.
    noise = b"\x00/JS\x00\xff/JSON (x) /JavaScripts /Launcher"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(noise), noise)

    assert _inspect(_pdf(extra_objects=(stream,)), "scan.pdf").content_type == "application/pdf"


def test_a_file_exactly_at_the_limit_is_accepted():
    pdf = _pdf()

    assert _inspect(pdf, "scan.pdf", max_bytes=len(pdf)).size == len(pdf)


def test_valid_jpeg_is_accepted_as_a_jpeg_we_encoded():
    source = _jpeg(quality=100)

    inspected = _inspect(source, "photo.jpg")

    assert inspected.content_type == "image/jpeg"
    assert inspected.extension == ".jpg"
    assert inspected.content != source
    assert inspected.size == len(inspected.content)
    assert inspected.sha256 == hashlib.sha256(inspected.content).hexdigest()
    with Image.open(io.BytesIO(inspected.content)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (64, 48))


@pytest.mark.parametrize("name", ["photo.JPG", "photo.jpeg", "photo.Jpeg"])
def test_jpeg_extensions_are_compared_without_case(name):
    assert _inspect(_jpeg(), name).extension == ".jpg"


def test_valid_png_is_accepted_as_a_png_we_encoded():
    inspected = _inspect(_png(), "plan.png")

    assert (inspected.content_type, inspected.extension) == ("image/png", ".png")
    assert inspected.sha256 == hashlib.sha256(inspected.content).hexdigest()
    with Image.open(io.BytesIO(inspected.content)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGB", (64, 48))


def test_png_keeps_its_palette_and_transparency():
    image = Image.new("P", (20, 20), 1)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)

    inspected = _inspect(_png(image, transparency=0), "stamp.png")

    with Image.open(io.BytesIO(inspected.content)) as redrawn:
        assert redrawn.mode == "P"
        assert redrawn.info["transparency"] == 0


# --- Metadata --------------------------------------------------------------------------------------


def test_jpeg_comes_back_without_exif_gps_or_comment():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (37.0, 33.0, 10.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (45.0, 4.0, 36.0),
    }
    source = _jpeg(exif=exif, comment=b"home address")
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test input has a position

    content = _inspect(source, "photo.jpg").content

    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert "comment" not in image.info
    assert b"Exif" not in content
    assert b"PhoneMaker" not in content
    assert b"home address" not in content


def test_jpeg_is_turned_upright_by_its_exif_orientation():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone on its side

    content = _inspect(_jpeg(size=(40, 20), exif=exif), "photo.jpg").content

    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (20, 40)
        assert ExifTags.Base.Orientation not in image.getexif()


def test_png_comes_back_without_text_chunks_or_exif():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address")
    info.add_text("Software", "Scanner 2000", zip=True)
    info.add_itxt("Author", "نرگس احمدی")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    source = _png(pnginfo=info, exif=exif)
    with Image.open(io.BytesIO(source)) as original:
        assert original.text  # the test input has text chunks

    content = _inspect(source, "plan.png").content

    with Image.open(io.BytesIO(content)) as image:
        assert image.text == {}
        assert not image.getexif()
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk not in content


# --- Type and extension ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "extension"),
    [
        (_png(), "plan.pdf", ".pdf"),
        (_jpeg(), "photo.png", ".png"),
        (_pdf(), "scan.jpg", ".jpg"),
        (_pdf(), "scan.pdf.exe", ".exe"),
    ],
)
def test_content_whose_type_differs_from_its_extension_is_refused(content, name, extension):
    refusal = _refusal(content, name)

    assert refusal.code == "extension_mismatch"
    assert refusal.params == {"extension": extension}


def test_png_renamed_to_pdf_is_refused():
    assert _refusal(_png(), "plan.pdf").code == "extension_mismatch"


def test_file_name_without_extension_is_refused():
    refusal = _refusal(_pdf(), "scan")

    assert refusal.code == "extension_missing"
    assert refusal.params == {"extension": ".pdf"}


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,  # Windows program
        "سند ملکی پلاک ۱۲".encode(),  # text
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"junk before the header %PDF-1.4\n%%EOF\n",  # viewers tolerate this; we do not
    ],
    ids=["exe", "txt", "html", "svg", "gif", "pdf-after-junk"],
)
def test_other_files_renamed_to_jpg_are_refused(content):
    assert _refusal(content, "photo.jpg").code == "unsupported"


# --- Size ------------------------------------------------------------------------------------------


class _CountingFile(io.BytesIO):
    def __init__(self, content: bytes):
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_empty_file_is_refused():
    assert _refusal(b"", "scan.pdf").code == "empty"


def test_file_over_the_limit_is_refused_without_being_read():
    content = _pdf() + b"\n" * 5000
    file = _CountingFile(content)
    uploaded = UploadedFile(file, "scan.pdf", "application/pdf", size=len(content))

    with pytest.raises(UploadRejected) as error:
        upload_inspect(uploaded, max_bytes=1024)

    assert error.value.code == "too_large"
    assert file.bytes_read == 0


def test_file_whose_declared_size_is_false_is_read_only_to_one_byte_past_the_limit():
    content = _pdf() + b"\n" * 5000
    file = _CountingFile(content)
    uploaded = UploadedFile(file, "scan.pdf", "application/pdf", size=10)

    with pytest.raises(UploadRejected) as error:
        upload_inspect(uploaded, max_bytes=1024)

    assert error.value.code == "too_large"
    assert file.bytes_read == 1025


def test_size_limit_is_stated_in_megabytes():
    from django.utils import translation

    with translation.override("en"):
        refusal = _refusal(b"x" * (2 * MB + 1), "scan.pdf", max_bytes=2 * MB)
        assert refusal.params == {"limit": "2"}
        assert refusal.messages == ["The file is larger than 2 MB."]


# --- Broken or dangerous PDFs ----------------------------------------------------------------------


def _pdf_with_script_in_an_object_stream() -> bytes:
    document = pydyf.PDF()
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": document.pages.reference,
            "MediaBox": pydyf.Array([0, 0, 595, 842]),
        }
    )
    document.add_page(page)
    document.catalog["OpenAction"] = pydyf.Dictionary(
        {"S": "/JavaScript", "JS": pydyf.String("app.alert(1)")}
    )
    out = io.BytesIO()
    document.write(out, version=b"1.7", compress=True)
    pdf = out.getvalue()
    assert b"JavaScript" not in pdf  # hidden in compressed data
    return pdf


@pytest.mark.parametrize(
    "pdf",
    [
        _pdf(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        _pdf(b" /Names << /J#61va#53cript 4 0 R >>", extra_objects=(b"<< /Names [] >>",)),
        _pdf(b" /AA << /O << /JS <6170702e616c657274283129> >> >>"),
        _pdf(
            b" /OpenAction 4 0 R",
            extra_objects=(b"<< /Type /Action /JS 5 0 R >>", b"(app.alert(1))"),
        ),
        _pdf(b" /OpenAction << /S /Launch /F (cmd.exe) >>"),
        _pdf(b" /Names << /EmbeddedFiles 4 0 R >>", extra_objects=(b"<< /Names [] >>",)),
        _pypdf(lambda writer: writer.add_open_action(JavaScript("app.alert(1)"))),
        _pypdf(lambda writer: writer.add_attachment("invoice.exe", b"MZ")),
        _pdf_with_script_in_an_object_stream(),
    ],
    ids=[
        "openaction-javascript",
        "name-spelt-with-hex-escapes",
        "additional-action-hex-script",
        "script-by-reference",
        "launch",
        "embedded-files",
        "pypdf-javascript",
        "pypdf-attachment",
        "script-in-object-stream",
    ],
)
def test_pdf_with_scripts_or_embedded_files_is_refused(pdf):
    assert _refusal(pdf, "scan.pdf").code == "pdf_active_content"


def test_encrypted_pdf_is_refused():
    pdf = _pypdf(lambda writer: writer.encrypt("", "owner-secret", algorithm="RC4-128"))

    assert _refusal(pdf, "scan.pdf").code == "pdf_encrypted"


def test_pdf_missing_its_end_of_file_marker_is_refused():
    pdf = _pdf()
    truncated = pdf[: pdf.rindex(b"%%EOF")]

    assert _refusal(truncated, "scan.pdf").code == "pdf_incomplete"


def test_pdf_cut_in_the_middle_is_refused():
    content = b"q 1 0 0 1 0 0 cm Q\n" * 500
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    pdf = _pdf(extra_objects=(stream,))

    assert _refusal(pdf[:1500], "scan.pdf").code == "pdf_incomplete"


def test_pdf_with_an_object_stream_we_cannot_unpack_is_refused():
    broken = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 9 >>\nstream\nnot zlib!\nendstream"

    assert _refusal(_pdf(extra_objects=(broken,)), "scan.pdf").code == "pdf_unreadable"


# --- Broken or oversized images --------------------------------------------------------------------


@pytest.mark.parametrize(("pillow_format", "name"), [("JPEG", "photo.jpg"), ("PNG", "plan.png")])
@pytest.mark.parametrize(
    "pillow_tolerant",
    [False, True],
    ids=["pillow-strict", "pillow-tolerant-as-weasyprint-leaves-it"],
)
def test_truncated_image_is_refused(monkeypatch, pillow_tolerant, pillow_format, name):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", pillow_tolerant)
    out = io.BytesIO()
    Image.effect_noise((300, 300), 64).convert("RGB").save(out, pillow_format)
    content = out.getvalue()

    assert _refusal(content[: len(content) // 2], name).code == "image_unreadable"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is pillow_tolerant  # WeasyPrint keeps its setting


def test_png_with_a_corrupted_chunk_is_refused():
    content = bytearray(_png())
    content[-20] ^= 0xFF  # inside the image data: its checksum no longer matches

    assert _refusal(bytes(content), "plan.png").code == "image_unreadable"


def test_image_with_too_many_pixels_is_refused():
    content = _png(Image.new("L", (2000, 1000)))

    refusal = _refusal(content, "plan.png", max_pixels=1_000_000)

    assert refusal.code == "too_many_pixels"


def _png_of_constant_colour(width: int, height: int) -> bytes:
    """A valid RGBA PNG of any size in a few KB, written row by row: nothing that size is ever
    held in memory here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x20\x40\x80\xff" * width  # filter byte, then the pixels
    packed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", packed) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def near_limit_png() -> bytes:
    # 6300 x 6300, about 40 megapixels: 160 MB once decoded, and several times that redrawn.
    return _png_of_constant_colour(6300, 6300)


def test_forty_megapixel_png_is_refused_from_its_header_without_decoding(
    monkeypatch, near_limit_png
):
    from django.utils import translation

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert len(near_limit_png) < 1 * MB

    with translation.override("fa"):
        refusal = _refusal(near_limit_png, "plan.png")
        assert refusal.messages == [
            "تصویر بیش از ۱۶ مگاپیکسل است. آن را در اندازه کوچک‌تر ذخیره کنید یا با وضوح کمتر"
            " اسکن کنید."
        ]

    assert refusal.code == "too_many_pixels"


def test_refusing_a_forty_megapixel_png_takes_almost_no_memory(near_limit_png):
    tracemalloc.start()
    try:
        refusal = _refusal(near_limit_png, "plan.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert refusal.code == "too_many_pixels"
    # The upload itself is read once (about 160 KB); 40 megapixels decoded would be 160 MB.
    assert peak < 2 * MB


def test_image_with_a_side_longer_than_the_bound_is_refused():
    from django.utils import translation

    content = _png(Image.new("L", (10_001, 10)))

    with translation.override("en"):
        refusal = _refusal(content, "plan.png")
        assert refusal.messages[0].startswith("The image is more than 10,000 pixels wide or high.")

    assert refusal.code == "too_many_pixels"


@override_settings(ATTACHMENT_MAX_PIXELS=1_000_000, ATTACHMENT_MAX_SIDE=3_000)
def test_image_bounds_come_from_the_settings():
    assert _refusal(_png(Image.new("L", (1001, 1000))), "plan.png").code == "too_many_pixels"
    assert _refusal(_png(Image.new("L", (3001, 10))), "plan.png").code == "too_many_pixels"
    assert _inspect(_png(Image.new("L", (1000, 1000))), "plan.png").size > 0


def test_pillow_bomb_limit_is_lowered_to_ours_only_while_checking(monkeypatch):
    seen = []
    original = Image.open

    def spying_open(*args, **kwargs):
        seen.append(Image.MAX_IMAGE_PIXELS)
        return original(*args, **kwargs)

    monkeypatch.setattr(Image, "open", spying_open)
    before = Image.MAX_IMAGE_PIXELS

    _inspect(_jpeg(), "photo.jpg", max_pixels=2_000_000)

    after = Image.MAX_IMAGE_PIXELS
    assert seen and set(seen) == {2_000_000}
    assert after == before


def test_grey_jpeg_stays_grey_and_cmyk_jpeg_becomes_rgb():
    grey = io.BytesIO()
    Image.new("L", (30, 20), 128).save(grey, "JPEG")
    cmyk = io.BytesIO()
    Image.new("CMYK", (30, 20), (0, 100, 200, 0)).save(cmyk, "JPEG")

    for source, mode in ((grey, "L"), (cmyk, "RGB")):
        with Image.open(io.BytesIO(_inspect(source.getvalue(), "scan.jpg").content)) as image:
            assert image.mode == mode


def test_pillow_decompression_bomb_warning_is_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # warns above 1000, fails above 2000
    content = _jpeg(size=(40, 40))

    assert _refusal(content, "photo.jpg").code == "too_many_pixels"


def test_pillow_decompression_bomb_error_is_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    content = _jpeg(size=(100, 100))

    assert _refusal(content, "photo.jpg").code == "too_many_pixels"


# --- The name shown to people ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("نامه\u202egpj.pdf", "نامهgpj.pdf"),
        ("سند\u200cملکی.pdf", "سند\u200cملکی.pdf"),  # the zero-width non-joiner belongs to Persian
        ("scan\x00\x1b[31m.pdf", "scan[31m.pdf"),
        ("  scan.pdf  ", "scan.pdf"),
    ],
)
def test_original_name_is_cleaned_for_display(sent, shown):
    assert _inspect(_pdf(), sent).original_name == shown


def test_right_to_left_override_cannot_disguise_the_extension():
    # Shown as "reportfdp.exe" once the override is gone, and it is checked as such.
    assert _refusal(_pdf(), "report\u202efdp.exe").code == "extension_mismatch"


def test_long_original_name_is_shortened_keeping_its_extension():
    name = _inspect(_pdf(), "ا" * 200 + ".pdf").original_name

    assert len(name) == 120
    assert name.endswith("ا.pdf")


# --- Form field ------------------------------------------------------------------------------------


class _DocumentForm(forms.Form):
    document = DocumentField(max_bytes=MB)
    optional = DocumentField(required=False)


def test_document_field_cleans_to_an_inspected_upload():
    form = _DocumentForm(data={}, files={"document": _upload(_jpeg(), "photo.jpg", "text/html")})

    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["document"], InspectedUpload)
    assert form.cleaned_data["document"].content_type == "image/jpeg"
    assert form.cleaned_data["optional"] is None


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (_upload(_png(), "plan.pdf"), "extension_mismatch"),
        (_upload(b"", "scan.pdf"), "empty"),
        (_upload(_pdf() + b" " * MB, "scan.pdf"), "too_large"),
        (_upload(b"<svg/>", "photo.jpg"), "unsupported"),
    ],
)
def test_document_field_turns_refusals_into_field_errors(upload, code):
    form = _DocumentForm(data={}, files={"document": upload})

    assert not form.is_valid()
    assert form.has_error("document", code)
    assert not isinstance(form.errors.as_data()["document"][0], UploadRejected)


def test_document_field_is_required_unless_told_otherwise():
    form = _DocumentForm(data={}, files={})

    assert form.has_error("document", "required")


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_document_field_takes_its_default_limit_from_settings():
    form = _DocumentForm(
        data={},
        files={"document": _upload(_pdf(), "a.pdf"), "optional": _upload(_pdf(), "b.pdf")},
    )

    assert not form.has_error("document")
    assert form.has_error("optional", "too_large")


def test_document_field_offers_only_the_accepted_types_in_the_file_picker():
    html = str(_DocumentForm()["document"])

    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in html
