"""Photos are checked by decoding them with Pillow, not by their name or the browser's
content type: a text file renamed `.jpg` is refused, a truncated JPEG is refused, a PNG
named `.jpg` is accepted as the PNG it is. Display copies and thumbnails are made here
too, from the decoded image."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Decompression-bomb guard: a small file can announce a huge picture. 40 megapixels is
# more than any phone camera takes.
MAX_PHOTO_PIXELS = 40_000_000
# Decoded format (Pillow's name) → the file extension it is stored under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
DISPLAY_SIDE = 1280
THUMBNAIL_SIDE = 320
DISPLAY_QUALITY = 82
THUMBNAIL_QUALITY = 75


@dataclass
class DecodedPhoto:
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int  # of the original, as stored (before EXIF orientation)
    height: int
    image: Image.Image  # decoded; a JPEG may be decoded at a reduced scale (draft)

    @property
    def extension(self) -> str:
        return FORMATS[self.format]


def _not_image():
    return ValidationError(_("This file is not a real JPEG, PNG or WebP image."), code="not_image")


def decode_photo(upload, *, draft_side: int = DISPLAY_SIDE) -> DecodedPhoto:
    """Decode an uploaded photo completely, or raise a ValidationError saying why not.

    Too big a file or picture, an unknown or damaged image, or a kind other than JPEG,
    PNG or WebP is refused. The file is first opened and verified, then reopened and
    decoded in full (a truncated file fails here); a JPEG is decoded at the smallest
    scale still at least `draft_side` on its longest side, to spare memory.
    """
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(limit)d MB."),
            code="too_large",
            params={"limit": MAX_PHOTO_BYTES // (1024 * 1024)},
        )
    # Pillow closes the files it reads; it gets a copy of the bytes (at most 10 MB), so
    # the upload itself stays open and untouched for storing.
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
                _check_kind_and_pixels(kind, width, height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if kind == "JPEG":
                scale = max(1, max(width, height) // draft_side)
                image.draft("RGB", (width // scale, height // scale))
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_image() from None
        except Exception:  # noqa: BLE001 — any other decoder failure: not a usable image
            raise _not_image() from None
    return DecodedPhoto(format=kind, width=width, height=height, image=image)


def _too_many_pixels():
    return ValidationError(
        _("The picture is too large (more than %(limit)d megapixels); take a smaller one."),
        code="too_many_pixels",
        params={"limit": MAX_PHOTO_PIXELS // 1_000_000},
    )


def _check_kind_and_pixels(kind, width, height):
    if kind not in FORMATS:
        raise ValidationError(_("Upload a photo in JPEG, PNG or WebP format."), code="bad_kind")
    if width * height > MAX_PHOTO_PIXELS:
        raise _too_many_pixels()


def _flattened(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), in RGB, transparency laid on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, side: int, quality: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image carries none of the original's metadata (EXIF with GPS, XMP, comments).
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def renditions(photo: DecodedPhoto) -> tuple[ContentFile, ContentFile]:
    """(display copy at most 1280 px, thumbnail at most 320 px), both JPEG, upright and
    without the original's metadata. Never enlarged."""
    upright = _flattened(photo.image)
    return _jpeg(upright, DISPLAY_SIDE, DISPLAY_QUALITY), _jpeg(
        upright, THUMBNAIL_SIDE, THUMBNAIL_QUALITY
    )


@deconstructible
class PhotoValidator:
    """JPEG, PNG or WebP by its decoded content, at most 10 MB and 40 megapixels."""

    def __call__(self, upload):
        decode_photo(upload).image.close()

    def __eq__(self, other):
        return isinstance(other, PhotoValidator)
