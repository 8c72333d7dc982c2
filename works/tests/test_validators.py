"""Photos are decoded with Pillow: their real format decides, not their name."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from works.validators import (
    MAX_PHOTO_BYTES,
    PhotoValidator,
    decode_photo,
    renditions,
)

from .factories import TINY_JPEG, image_bytes, tiny_png


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


def png_announcing(width, height) -> bytes:
    """A PNG whose header announces `width`×`height` pixels, with almost no data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("foto.png", tiny_png(), "PNG"),
        ("foto.JPG", TINY_JPEG, "JPEG"),
        ("foto.jpeg", image_bytes("JPEG"), "JPEG"),
        ("foto.webp", image_bytes("WEBP"), "WEBP"),
        ("foto.jpg", image_bytes("PNG"), "PNG"),  # a PNG renamed .jpg is a PNG
        ("IMG_0001", image_bytes("JPEG"), "JPEG"),  # no extension: the content decides
    ],
)
def test_real_images_are_accepted_by_their_decoded_format(name, content, kind):
    PhotoValidator()(upload(name, content))
    assert decode_photo(upload(name, content)).format == kind


def truncated_jpeg() -> bytes:
    whole = image_bytes("JPEG", (200, 150), noise=True)
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("foto.jpg", b"this is a text file, renamed\n", "not_image"),
        ("foto.png", b"%PDF-1.4 a document", "not_image"),
        ("foto.jpg", truncated_jpeg(), "not_image"),
        ("foto.png", tiny_png()[:-20], "not_image"),  # cut short: the CRC check fails
        ("foto.gif", image_bytes("GIF", mode="P"), "bad_kind"),
        ("foto.jpg", image_bytes("BMP"), "bad_kind"),  # a bitmap renamed .jpg
        ("foto.png", png_announcing(8000, 6000), "too_many_pixels"),  # 48 megapixels
    ],
)
def test_files_that_are_not_usable_photos_are_refused(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        PhotoValidator()(upload(name, content))
    assert excinfo.value.code == code


def test_a_photo_over_10_mb_is_refused():
    big = tiny_png() + b"\x00" * MAX_PHOTO_BYTES
    with pytest.raises(ValidationError) as excinfo:
        PhotoValidator()(upload("foto.png", big))
    assert excinfo.value.code == "too_large"


def test_the_messages_say_what_is_wrong():
    from django.utils.translation import override

    with override("en"):
        with pytest.raises(ValidationError) as excinfo:
            PhotoValidator()(upload("foto.png", png_announcing(8000, 6000)))
        assert "40 megapixels" in excinfo.value.messages[0]
        with pytest.raises(ValidationError) as excinfo:
            PhotoValidator()(upload("foto.jpg", b"a text file\n"))
        assert "not a real JPEG, PNG or WebP image" in excinfo.value.messages[0]


def opened(content):
    return Image.open(io.BytesIO(content.read()))


def test_a_large_jpeg_gets_a_1280_display_copy_and_a_320_thumbnail():
    photo = decode_photo(upload("foto.jpg", image_bytes("JPEG", (2000, 1500))))
    assert (photo.format, photo.width, photo.height) == ("JPEG", 2000, 1500)
    display, thumbnail = renditions(photo)
    with opened(display) as big, opened(thumbnail) as small:
        assert (big.format, big.size) == ("JPEG", (1280, 960))
        assert (small.format, small.size) == ("JPEG", (320, 240))


def test_copies_are_upright_and_carry_no_gps_or_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; shown rotated 90°
    exif[0x8825] = {1: "S", 2: (7.0, 36.0, 44.0)}  # GPS position
    content = image_bytes("JPEG", (400, 300), exif=exif)
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif().get(0x0112) == 6
    display, thumbnail = renditions(decode_photo(upload("foto.jpg", content)))
    for copy in (display, thumbnail):
        with opened(copy) as image:
            assert image.height > image.width  # turned upright
            assert not image.getexif() and "exif" not in image.info


def test_small_photos_are_not_enlarged_and_transparency_is_kept_on_white():
    content = image_bytes("PNG", (100, 80), mode="RGBA")
    display, thumbnail = renditions(decode_photo(upload("foto.png", content)))
    with opened(display) as image:
        assert image.size == (100, 80) and image.mode == "RGB"
        assert image.getpixel((0, 0)) == (255, 255, 255)  # transparent → white
