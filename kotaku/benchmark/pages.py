"""The pages issue 8 holds to their limits, built from the chosen subjects.

Each page knows its URL (None when its view is not built yet), who asks for it, how many
rows it covers (counted by the ORM, independently of the page) and, where one exists,
the same page over a small scope, whose query count must be the same.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from accounts.scoping import covered_q
from slums.models import SlumArea
from works.models import Work

from .subjects import Subjects

PAGE_SIZE = 25  # works:work_list paginates by 25


@dataclass
class Page:
    name: str
    kind: str  # dashboard | list | page | reference (no target)
    user: str  # "national" or "facilitator": an attribute of Subjects
    url: str | None
    rows: Callable[[], int]
    small_url: str = ""


def url_for(name: str, *args, query: dict | None = None) -> str | None:
    """The URL of a named view, or None when it does not exist (yet)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def with_query(url: str | None, **query) -> str | None:
    if url is None:
        return None
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{urlencode(query)}"


def works_under(code: str = "") -> Callable[[], int]:
    works = Work.objects.filter(covered_q([code], "kelurahan__code")) if code else Work.objects
    return lambda: works.count()


def _dashboards(s: Subjects) -> list[Page]:
    pages = [
        Page(
            "dashboard national", "dashboard", "national", url_for("dashboards:home"), works_under()
        )
    ]
    for level in ("province", "district", "kelurahan"):
        code, small = getattr(s, level), getattr(s, f"{level}_small")
        url = url_for("dashboards:region", code)
        pages.append(
            Page(
                f"dashboard {level} {code}",
                "dashboard",
                "national",
                url,
                works_under(code),
                small_url=url_for("dashboards:region", small) or "",
            )
        )
    return pages


def lightest_kelurahan(works) -> str | None:
    """The kelurahan with the fewest (but some) of `works`: the list's small scope."""
    row = works.values("kelurahan_id").annotate(n=Count("pk")).order_by("n", "kelurahan_id")
    first = row.first()
    return first["kelurahan_id"] if first else None


def _work_lists(s: Subjects) -> list[Page]:
    """First and last page, without and with filters, as a national officer and as a
    facilitator. The small scope is the same list narrowed to the lightest kelurahan."""
    pages = []
    filters = {"status": "completed", "fiscal_year": s.fiscal_year}
    for who in ("national", "facilitator"):
        user = getattr(s, who)
        for label, query in (("", {}), (" filtered", filters)):
            works = Work.objects.for_user(user).filter(**query)
            count = works.count()
            small = lightest_kelurahan(works)
            last = max(1, math.ceil(count / PAGE_SIZE))
            first_url = url_for("works:work_list", query=query)
            for page_label, page in (("first", 1), ("deep", last)):
                url = with_query(first_url, page=page) if page > 1 else first_url
                pages.append(
                    Page(
                        f"works list {who}{label} {page_label} (p{page})",
                        "list",
                        who,
                        url,
                        works.count,
                        small_url=with_query(first_url, region=small) if small else "",
                    )
                )
    return pages


def _other_pages(s: Subjects) -> list[Page]:
    report = url_for("reports:monthly", s.district, s.year, s.month)
    report_small = url_for("reports:monthly", s.district_small, s.year, s.month)
    slums = SlumArea.objects.for_user(s.national)
    return [
        Page(
            f"work detail {s.work}",
            "page",
            "national",
            url_for("works:work_detail", s.work),
            lambda: Work.objects.get(pk=s.work).reports.count(),
            small_url=url_for("works:work_detail", s.work_small) or "",
        ),
        Page("slum results national", "page", "national", url_for("slums:results"), slums.count),
        Page(
            f"slum results district {s.district}",
            "page",
            "national",
            url_for("slums:results", s.district),
            slums.filter(covered_q([s.district], SlumArea.scope_field)).count,
            small_url=url_for("slums:results", s.district_small) or "",
        ),
        Page(
            f"monthly report {s.district} {s.year}-{s.month:02d}",
            "page",
            "national",
            report,
            works_under(s.district),
            small_url=report_small or "",
        ),
    ]


def _reference(s: Subjects) -> list[Page]:
    """An empty page as the facilitator (kotaku.benchmark.urls: served only while the
    benchmark runs): what every page pays before its own work."""
    return [
        Page(
            "empty page (a request's fixed cost)",
            "reference",
            "facilitator",
            url_for("bench_empty"),
            lambda: None,
        )
    ]


def pages_for(subjects: Subjects) -> list[Page]:
    return [
        *_reference(subjects),
        *_dashboards(subjects),
        *_work_lists(subjects),
        *_other_pages(subjects),
    ]


def load_test_urls(subjects: Subjects) -> dict[str, str]:
    """The pages the load tests rotate over (as the national officer), by short name."""
    candidates = {
        "detail": url_for("works:work_detail", subjects.work),
        "district": url_for("dashboards:region", subjects.district),
        "national": url_for("dashboards:home"),
        "province": url_for("dashboards:region", subjects.province),
        "kelurahan": url_for("dashboards:region", subjects.kelurahan),
        "works": url_for("works:work_list"),
        "works_filtered": url_for(
            "works:work_list", query={"status": "completed", "fiscal_year": subjects.fiscal_year}
        ),
        "slums": url_for("slums:results"),
        "slums_district": url_for("slums:results", subjects.district),
        "report": url_for("reports:monthly", subjects.district, subjects.year, subjects.month),
    }
    return {name: url for name, url in candidates.items() if url}
