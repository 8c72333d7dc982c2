import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locations.services import RegionImportError, regions_import


class Command(BaseCommand):
    help = (
        "Import the Kemendagri region list from a CSV file (code,name,level,parent_code"
        "[,kind]). All or nothing; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.perf_counter()
        try:
            report = regions_import(raw=path.read_bytes(), progress=self.stdout.write)
        except RegionImportError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{len(error.errors)} bad row(s); nothing was imported.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} rows: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged ({time.perf_counter() - started:.1f} s)"
            )
        )
