"""Screenshots: what is accepted (from the bytes, never the name), what is refused and why,
and that stored images carry no metadata while the original's hash is kept."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from saring.accounts.scope import SYSTEM, ScopeError
from saring.audit.models import AuditEvent
from saring.cases.images import MAX_PIXELS, ImageRefused, clean_image, safe_name
from saring.cases.models import Attachment
from saring.cases.services.attachments import MAX_SCREENSHOTS, add_screenshot
from tests.cases.conftest import make_case, scope

GPS_IFD, ORIENTATION, MAKE = 0x8825, 0x0112, 0x010F


def jpeg_with_gps(size=(64, 48), orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "S", 2: (6.0, 54.0, 30.0), 3: "E", 4: (107.0, 36.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes(), comment=b"cam")
    return out.getvalue()


def png(size=(40, 30), mode="RGBA", **info) -> bytes:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    Image.new(mode, size, (0, 90, 200, 128) if mode == "RGBA" else 90).save(
        out, "PNG", pnginfo=meta
    )
    return out.getvalue()


def refused(name: str, data: bytes) -> ImageRefused:
    with pytest.raises(ImageRefused) as caught:
        clean_image(name, data)
    assert name.rsplit("/", 1)[-1].split(".")[0][:5] in str(caught.value)  # names the file
    return caught.value


def test_jpeg_loses_exif_and_gps_and_keeps_the_original_hash():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input has GPS
    clean = clean_image("IMG_0001.JPG", data)
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.format == "JPEG" and clean.content_type == "image/jpeg"
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert "exif" not in stored.info and "comment" not in stored.info
    assert b"PhoneMaker" not in clean.content
    assert clean.original_sha256 == hashlib.sha256(data).hexdigest()
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest() != clean.original_sha256
    assert (clean.width, clean.height) == (64, 48)


def test_orientation_is_applied_before_the_tag_is_dropped():
    clean = clean_image("rotated.jpg", jpeg_with_gps(size=(64, 48), orientation=6))
    assert (clean.width, clean.height) == (48, 64)
    assert Image.open(io.BytesIO(clean.content)).size == (48, 64)


def test_png_is_accepted_and_its_text_chunks_dropped():
    data = png(Author="Siti", Location="-6.9,107.6")
    clean = clean_image("layar.png", data)
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert b"Siti" not in clean.content and "Author" not in stored.info
    assert clean.name == "layar.png"


def test_format_comes_from_the_bytes_not_the_name():
    clean = clean_image("bukan-jpeg.jpg", png(mode="L"))
    assert clean.content_type == "image/png" and clean.name == "bukan-jpeg.png"


def test_webp_and_gif_first_frame():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "WEBP")
    assert clean_image("a.webp", out.getvalue()).content_type == "image/webp"
    frames = [Image.new("P", (16, 16), i) for i in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    clean = clean_image("anim.gif", out.getvalue())
    assert clean.content_type == "image/png" and clean.name == "anim.png"
    assert Image.open(io.BytesIO(clean.content)).n_frames == 1


def test_svg_is_refused_even_named_png():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'
    assert refused("gambar.png", svg).code == "svg"
    assert refused("lain.jpg", b"\xef\xbb\xbf  <svg width='1'/>").code == "svg"


def test_pdf_renamed_jpg_is_not_an_image():
    assert refused("bukti.jpg", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n").code == "not_an_image"
    assert refused("kosong.png", b"").code == "not_an_image"


def test_a_50_mb_file_is_refused_by_size_before_decoding():
    # Not pixels: a byte string with a PNG signature; it must be refused before Pillow sees it.
    data = b"\x89PNG\r\n\x1a\n" + bytes(50 * 1024 * 1024)
    error = refused("besar.png", data)
    assert error.code == "too_large" and "10" in str(error)


def test_size_limit_follows_the_setting(settings):
    settings.SARING_SCREENSHOT_MAX_MB = 1
    assert refused("satu.png", bytes(1024 * 1024 + 1)).code == "too_large"


def test_decompression_bomb_is_refused_without_decoding():
    side = int(MAX_PIXELS**0.5) + 100  # just over the cap: a few KB of PNG
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    assert refused("bom.png", out.getvalue()).code == "too_many_pixels"


def test_truncated_image_is_corrupt():
    data = jpeg_with_gps(size=(300, 300))
    assert refused("rusak.jpg", data[: len(data) // 3]).code == "corrupt"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\siti\\Foto Saya.JPG", "Foto-Saya.png"),
        ("<script>.png", "script.png"),
        ("", "screenshot.png"),
        (".hidden", "hidden.png"),
    ],
)
def test_file_names_are_sanitised(given, expected):
    assert safe_name(given, "png") == expected


@pytest.mark.django_db
def test_add_screenshot_stores_the_clean_file_and_audits_both_hashes(
    bawaslu_bandung, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = make_case()
    report = case.reports.get()
    data = jpeg_with_gps()
    attachment = add_screenshot(
        case, "IMG_1.jpg", data, report=report, scope=scope(bawaslu_bandung)
    )
    stored = attachment.file.read()
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256
    assert attachment.original_sha256 == hashlib.sha256(data).hexdigest()
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD)
    assert attachment.added_by_id == bawaslu_bandung.pk
    assert attachment.file.name.startswith("cases/")
    event = AuditEvent.objects.get(action="case.attachment_added")
    assert (event.subject_type, event.subject_id) == ("cases.case", str(case.pk))
    assert event.details["sha256"] == attachment.sha256
    assert event.details["original_sha256"] == attachment.original_sha256


@pytest.mark.django_db
def test_refused_image_stores_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case()
    with pytest.raises(ImageRefused):
        add_screenshot(case, "x.png", b"<svg/>", scope=SYSTEM)
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_at_most_five_screenshots_per_report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case()
    report = case.reports.get()
    for n in range(MAX_SCREENSHOTS):
        add_screenshot(case, f"{n}.png", png(), report=report, scope=SYSTEM)
    with pytest.raises(ImageRefused) as caught:
        add_screenshot(case, "6.png", png(), report=report, scope=SYSTEM)
    assert caught.value.code == "too_many"
    assert case.attachments.count() == MAX_SCREENSHOTS


@pytest.mark.django_db
def test_only_handlers_of_the_region_add_screenshots(bawaslu_bogor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case()  # Kota Bandung
    with pytest.raises(ScopeError):
        add_screenshot(case, "a.png", png(), scope=scope(bawaslu_bogor))
    assert not Attachment.objects.exists()


def test_phone_formats_multi_picture_jpeg_and_16_bit_png():
    first, second = Image.new("RGB", (30, 20), "red"), Image.new("RGB", (30, 20), "blue")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert clean_image("kamera.jpg", out.getvalue()).content_type == "image/jpeg"
    out = io.BytesIO()
    Image.new("I;16", (20, 20), 40000).save(out, "PNG")
    clean = clean_image("dalam.png", out.getvalue())
    assert Image.open(io.BytesIO(clean.content)).getpixel((0, 0)) == 156  # 40000 / 256
