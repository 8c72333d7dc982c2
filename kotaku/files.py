"""Uploaded files are served by Django, only to users who may see the record that holds
them, with headers that stop a browser from running them.

`MEDIA_URL` points here (`/berkas/<name>`). A name is served only when a row of a scoped
model, within the user's places (`for_user`), holds it in one of its file fields:
anything else is a 404, whether the file exists or not. The answer is a download
(`Content-Disposition: attachment`) except for photos, with a content type from our own
list (never guessed from the content), `nosniff` and a sandboxing Content-Security-Policy.

Behind nginx, set `MEDIA_ACCEL_REDIRECT_PREFIX` (e.g. `/protected-media/`, an `internal`
location aliasing MEDIA_ROOT): Django still decides, nginx sends the bytes.
"""

import posixpath
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse

from .uploads import UploadTo

# extension → (content type, shown in the browser)
CONTENT_TYPES = {
    "pdf": ("application/pdf", False),
    "csv": ("text/csv; charset=utf-8", False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    "jpg": ("image/jpeg", True),
    "jpeg": ("image/jpeg", True),
    "png": ("image/png", True),
    "webp": ("image/webp", True),
}
DEFAULT_TYPE = ("application/octet-stream", False)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private",
}


@lru_cache(maxsize=1)
def file_fields() -> tuple[tuple[type[models.Model], str, str], ...]:
    """(model, field name, folder its files go to) for every file field of a scoped
    model. Historical (simple-history) and unscoped models are left out: their files
    are not served."""
    found = []
    for model in apps.get_models():
        if not hasattr(model._default_manager, "for_user"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field.name, _folder(field.upload_to)))
    return tuple(found)


def _folder(upload_to) -> str:
    if isinstance(upload_to, UploadTo):
        return f"{upload_to.folder}/"
    if isinstance(upload_to, str):
        return upload_to.split("%", 1)[0]
    return ""  # a function: any name may be its


def clean_name(name: str) -> str | None:
    """The storage name asked for, or None when it tries to leave MEDIA_ROOT."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name if posixpath.normpath(name) == name else None


def owner_exists(user, name: str) -> bool:
    """Is `name` held by a row in the user's places? One `exists()` per file field whose
    folder the name lies in (usually one)."""
    return any(
        model._default_manager.for_user(user).filter(**{field_name: name}).exists()
        for model, field_name, folder in file_fields()
        if name.startswith(folder)
    )


def serve_upload(request, name):
    name = clean_name(name)
    if name is None or not owner_exists(request.user, name):
        raise Http404
    extension = posixpath.splitext(name)[1].lower().lstrip(".")
    content_type, inline = CONTENT_TYPES.get(extension, DEFAULT_TYPE)
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        if not default_storage.exists(name):
            raise Http404
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    filename = posixpath.basename(name)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response
