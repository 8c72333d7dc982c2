"""Benchmarks that print figures (issue 8); tests never assert timings.

    python manage.py bench                      # pages, export, region import
    python manage.py bench pages --repeat 20    # one part
    python manage.py bench --skip-import --json bench.json

`pages` and `export` measure the CURRENT database (a generated one: manage.py
generate_dataset) inside a transaction that is rolled back, so nothing is left behind.
`import_regions` runs in a scratch copy (Django's test database, created and destroyed
here), because it deletes every region. `--load-test-setup` and `--end-session` serve
scripts/loadtest.sh: a session for the national officer and the URLs to load.
"""

import json
from dataclasses import asdict
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from kotaku.benchmark import report
from kotaku.benchmark.export import measure_export
from kotaku.benchmark.imports import MissingRegionFile, measure_region_import
from kotaku.benchmark.measure import Measurement, measure_page, production_like
from kotaku.benchmark.pages import load_test_urls, pages_for
from kotaku.benchmark.subjects import NoData, choose
from works.models import Work

PARTS = ("pages", "export", "import_regions")


class Command(BaseCommand):
    help = "Measure pages, the CSV export and the region import, and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("parts", nargs="*", help=f"any of: {', '.join(PARTS)} (default all)")
        parser.add_argument("--repeat", type=int, default=20, help="requests per page")
        parser.add_argument(
            "--budget",
            type=float,
            default=120,
            help="seconds per page: a slower page is requested fewer times (at least 3)",
        )
        parser.add_argument(
            "--statement-timeout",
            type=float,
            default=0,
            help="PostgreSQL: cancel any query slower than this many seconds (0: never)",
        )
        parser.add_argument("--import-repeat", type=int, default=1)
        parser.add_argument("--skip-import", action="store_true", help="no region import")
        parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
        parser.add_argument(
            "--show-slow", action="store_true", help="print the slowest queries of each MISS"
        )
        parser.add_argument(
            "--load-test-setup",
            action="store_true",
            help="create a session for the national officer; print it and the URLs to load",
        )
        parser.add_argument("--end-session", metavar="KEY", help="delete a session made above")

    def handle(self, *args, parts, repeat, import_repeat, skip_import, **options):
        if options["load_test_setup"]:
            return self.load_test_setup()
        if options["end_session"]:
            return self.end_session(options["end_session"])
        unknown = set(parts) - set(PARTS)
        if unknown:
            raise CommandError(f"Unknown part(s): {', '.join(sorted(unknown))}")
        parts = [part for part in parts or PARTS if not (skip_import and part == "import_regions")]
        vendor = connection.vendor
        measurements = []
        try:
            if "pages" in parts:
                measurements += self.pages(repeat, options["budget"], options["statement_timeout"])
            if "export" in parts:
                self.progress("CSV export of all works (child process)")
                measurements.append(measure_export(Work.objects.count()))
            if "import_regions" in parts:
                measurements += self.region_import(import_repeat)
        except (NoData, MissingRegionFile) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"\nkotaku benchmark [{vendor}], {repeat} requests per page\n")
        self.stdout.write(report.table(measurements, vendor))
        if options["show_slow"]:
            self.stdout.write(report.slowest_queries(measurements, vendor))
        failed = [m.name for m in measurements if m.status.startswith("error")]
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as handle:
                figures = [
                    {**asdict(m), "verdict": report.verdict(m, vendor)} for m in measurements
                ]
                json.dump({"vendor": vendor, "measurements": figures}, handle, indent=2)
        if failed:
            raise CommandError(f"{len(failed)} measurement(s) failed: {', '.join(failed)}")

    def progress(self, text):
        self.stderr.write(f"… {text}")

    def pages(self, repeat: int, budget: float, timeout: float) -> list[Measurement]:
        """Every page as its user sees it. Logins and any user created for the bench live
        in a transaction that is rolled back."""
        results = []
        # The site's URLs and the benchmark's empty page (kotaku.benchmark.urls).
        urls = override_settings(ROOT_URLCONF="kotaku.benchmark.urls")
        with production_like(), urls, transaction.atomic():
            if timeout and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(timeout * 1000)])
            subjects = choose()
            clients = {}
            for who in ("national", "facilitator"):
                clients[who] = Client(raise_request_exception=False)
                clients[who].force_login(getattr(subjects, who))
                clients[who].get("/")  # the session's first writes are not a page's
            for page in pages_for(subjects):
                if page.url is None:
                    results.append(Measurement(page.name, page.kind, status="skipped: not built"))
                    continue
                self.progress(f"{page.name}: {page.url}")
                results.append(
                    measure_page(
                        clients[page.user],
                        page.url,
                        name=page.name,
                        kind=page.kind,
                        repeat=repeat,
                        rows=page.rows(),
                        small_url=page.small_url,
                        budget=budget,
                    )
                )
            transaction.set_rollback(True)
        return results

    def region_import(self, repeat: int) -> list[Measurement]:
        self.progress("import_regions in a scratch database")
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            return measure_region_import(repeat)
        finally:
            creation.destroy_test_db(old_name, verbosity=0)

    def load_test_setup(self):
        """A session for the national officer (as if logged in) and the URLs to load.
        The session is real: end it with --end-session when the load test is over."""
        subjects = choose()
        user = subjects.national
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = "accounts.backends.AccessBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        self.stdout.write(f"session {store.session_key}")
        for name, url in load_test_urls(subjects).items():
            self.stdout.write(f"url {name} {url}")

    def end_session(self, key: str):
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).delete()
