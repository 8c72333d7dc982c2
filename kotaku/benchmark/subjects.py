"""Who and what to measure, chosen from the data: the heaviest places (most works) for
the worst case, the lightest ones to check that query counts do not grow with rows."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Count, Max
from django.db.models.functions import Left
from django.utils import timezone

from accounts.choices import Role
from accounts.models import PlaceAssignment, User
from accounts.scoping import ancestor_codes
from works.models import ProgressReport, Work

# Length of a region code at each level: 35 / 35.19 / 35.19.09 / 35.19.09.2010.
CODE_LENGTH = {"province": 2, "district": 5, "kelurahan": 13}
BENCH_OFFICER = "bench.nasional"
BENCH_FACILITATOR = "bench.fasilitator"


class NoData(Exception):
    """The database holds no works: there is nothing to measure."""


@dataclass
class Subjects:
    national: User
    facilitator: User
    # The place with the most works and the one with the fewest, at each level.
    province: str
    province_small: str
    district: str
    district_small: str
    kelurahan: str
    kelurahan_small: str
    # In the busiest kelurahan: the work with the most reports and one with the fewest.
    work: int
    work_small: int
    # The month of the busiest district's latest progress report.
    year: int
    month: int
    fiscal_year: int  # the latest fiscal year of any work


def _heaviest_and_lightest(level: str) -> tuple[str, str]:
    rows = (
        Work.objects.annotate(key=Left("kelurahan_id", CODE_LENGTH[level]))
        .values("key")
        .annotate(works=Count("pk"))
    )
    heaviest = rows.order_by("-works", "key").first()
    if heaviest is None:
        raise NoData("There are no works: generate a dataset first (manage.py generate_dataset).")
    return heaviest["key"], rows.order_by("works", "key").first()["key"]


def _user_with_role(role: Role, username: str, places=()) -> User:
    user = User.objects.filter(groups__name=role.value, is_active=True).order_by("pk").first()
    if user is None:
        user, _created = User.objects.get_or_create(username=username)
        user.groups.add(Group.objects.get(name=role.value))
        for code in places:
            PlaceAssignment.objects.get_or_create(user=user, region_id=code)
    return user


def national_officer() -> User:
    """The first active national officer; one is created when the data has none."""
    return _user_with_role(Role.NATIONAL_OFFICER, BENCH_OFFICER)


def facilitator_of(kelurahan: str) -> User:
    """A facilitator whose places cover `kelurahan` (else any facilitator with places;
    one is created for `kelurahan` when there is none)."""
    facilitators = User.objects.filter(groups__name=Role.FACILITATOR.value, is_active=True)
    covering = facilitators.filter(
        assignments__region_id__in=[kelurahan, *ancestor_codes(kelurahan)]
    )
    user = (
        covering.order_by("pk").first()
        or facilitators.filter(assignments__isnull=False).order_by("pk").first()
    )
    if user is None:
        return _user_with_role(Role.FACILITATOR, BENCH_FACILITATOR, [kelurahan])
    return user


def choose() -> Subjects:
    """Choose the users and places to measure. May create a user when the data has none
    of a role: run it inside a transaction that is rolled back."""
    province, province_small = _heaviest_and_lightest("province")
    district, district_small = _heaviest_and_lightest("district")
    kelurahan, kelurahan_small = _heaviest_and_lightest("kelurahan")
    works = Work.objects.filter(kelurahan_id=kelurahan).annotate(reports_count=Count("reports"))
    latest = (
        ProgressReport.objects.filter(work__kelurahan__code__startswith=f"{district}.").aggregate(
            latest=Max("report_date")
        )["latest"]
        or timezone.localdate()
    )
    return Subjects(
        national=national_officer(),
        facilitator=facilitator_of(kelurahan),
        province=province,
        province_small=province_small,
        district=district,
        district_small=district_small,
        kelurahan=kelurahan,
        kelurahan_small=kelurahan_small,
        work=works.order_by("-reports_count", "pk").values_list("pk", flat=True)[0],
        work_small=works.order_by("reports_count", "pk").values_list("pk", flat=True)[0],
        year=latest.year,
        month=latest.month,
        fiscal_year=Work.objects.aggregate(year=Max("fiscal_year"))["year"],
    )
