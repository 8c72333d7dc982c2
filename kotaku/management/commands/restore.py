from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kotaku.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into a freshly migrated, empty database "
        "(and MEDIA_ROOT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            fingerprint = backup_restore(archive=archive)
        except ValueError as error:
            raise CommandError(str(error)) from None
        rows = sum(entry["rows"] for entry in fingerprint.values())
        self.stdout.write(self.style.SUCCESS(f"{rows} rows restored from {archive}"))
