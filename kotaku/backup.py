"""Backup and restore: the whole database (as Django fixtures) and the uploaded files,
in one .tar.gz archive.

The data is written with natural keys for content types and permissions, so it loads
into any freshly migrated database (SQLite or PostgreSQL, either way round).
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import DecimalField, IntegerField, Sum
from django.test.utils import override_settings

DATA_MEMBER = "data.json"
MEDIA_PREFIX = "media/"
# Rebuilt by `migrate` in the target database, or not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def backup_create(*, archive: Path) -> dict:
    """Write the database and MEDIA_ROOT into `archive`; returns the row counts."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / DATA_MEMBER
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=True,
            output=str(data_path),
            verbosity=0,
        )
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(data_path, arcname=DATA_MEMBER)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        name = path.relative_to(media_root).as_posix()
                        tar.add(path, arcname=MEDIA_PREFIX + name)
    return database_fingerprint()


def backup_restore(*, archive: Path) -> dict:
    """Load `archive` into this (migrated, empty) database and MEDIA_ROOT.

    Refuses a database that already holds users, so a restore never mixes two copies.
    All or nothing for the data: it loads in one transaction.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model.objects.exists():
        raise ValueError("The database is not empty: restore into a freshly migrated one.")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as scratch:
        members = tar.getmembers()
        for member in members:
            if member.name != DATA_MEMBER and not _safe_media_member(member):
                raise ValueError(f"Unexpected file in the archive: {member.name}")
        tar.extract(DATA_MEMBER, path=scratch, filter="data")
        # The archive holds the history rows already: loading must not add new ones.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(Path(scratch) / DATA_MEMBER), verbosity=0)
        for member in members:
            if member.name.startswith(MEDIA_PREFIX):
                target = media_root / member.name[len(MEDIA_PREFIX) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source:
                    target.write_bytes(source.read())
    return database_fingerprint()


def _safe_media_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    return (
        member.isfile()
        and name.startswith(MEDIA_PREFIX)
        and ".." not in Path(name).parts
        and not name.startswith("/")
    )


def database_fingerprint() -> dict:
    """Row count of every model, and the sum of every integer and decimal column: two
    databases with equal fingerprints hold the same records and the same money."""
    excluded_apps = {"contenttypes", "sessions", "admin"}
    fingerprint = {}
    for model in apps.get_models():
        if model._meta.app_label in excluded_apps or model._meta.label == "auth.Permission":
            continue
        numeric = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, IntegerField | DecimalField) and not field.primary_key
        ]
        sums = model._default_manager.aggregate(**{name: Sum(name) for name in numeric})
        fingerprint[model._meta.label] = {
            "rows": model._default_manager.count(),
            **{name: str(value) for name, value in sums.items()},
        }
    return fingerprint


def fingerprint_text(fingerprint: dict) -> str:
    buffer = io.StringIO()
    json.dump(fingerprint, buffer, indent=1, sort_keys=True)
    return buffer.getvalue()
