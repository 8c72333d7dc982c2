"""Reads of the programs app, always through the user's scope; counts in the database."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.db.models.lookups import In

from accounts.choices import Role
from accounts.models import PlaceAssignment
from accounts.scoping import ancestor_codes, user_scope_q
from locations.choices import RegionLevel
from locations.models import Region

from .choices import MemberRole
from .models import (
    Bkm,
    BkmStatus,
    CommunityGroup,
    Event,
    FacilitatorProfile,
    Member,
    RkmProposal,
    Rp2kpkp,
    Rplp,
)
from .models.events import COUNT_FIELDS

# Lengths of the code prefixes above a kelurahan: "35", "35.19", "35.19.09".
ANCESTOR_PREFIX_LENGTHS = (2, 5, 8)


def _latest_status():
    return Subquery(
        BkmStatus.objects.filter(bkm=OuterRef("pk")).order_by("-year").values("status")[:1]
    )


def _group_count():
    groups = (
        CommunityGroup.objects.filter(bkm=OuterRef("pk"))
        .order_by()
        .values("bkm")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(groups), Value(0))


def bkm_list(user):
    return (
        Bkm.objects.for_user(user)
        .with_member_counts()
        # A subquery, not Count("groups"): a second join would multiply the member counts.
        .annotate(latest_status=_latest_status(), group_count=_group_count())
        .select_related("kelurahan__parent__parent")
        .order_by("kelurahan_id")
    )


def bkm_detail_queryset(user):
    return Bkm.objects.for_user(user).select_related("kelurahan__parent__parent")


def member_counts(parent) -> dict:
    """Members by sex and poor households of one BKM or group (one query)."""
    return parent.members.aggregate(
        total=Count("pk"),
        men=Count("pk", filter=Q(sex="L")),
        women=Count("pk", filter=Q(sex="P")),
        poor=Count("pk", filter=Q(poor_household=True)),
    )


ROLE_RANK = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(MemberRole.values)),
    default=Value(len(MemberRole.values)),
)


def members_of(parent):
    """Members of a BKM or group: chair, secretary, treasurer, then members by name."""
    return parent.members.alias(rank=ROLE_RANK).order_by("rank", "name")


def group_list(user):
    return (
        CommunityGroup.objects.for_user(user)
        .with_member_counts()
        .select_related("kelurahan__parent__parent", "bkm")
        .order_by("kelurahan_id", "kind", "name")
    )


def group_detail_queryset(user):
    return CommunityGroup.objects.for_user(user).select_related("kelurahan__parent__parent", "bkm")


def bkm_groups(bkm):
    return bkm.groups.with_member_counts().order_by("kind", "name")


def member_queryset(user):
    return Member.objects.for_user(user).select_related("group", "bkm")


def kelurahan_institutions(region, user) -> dict:
    """The BKM and groups of one kelurahan for its region page (two queries)."""
    bkm = Bkm.objects.for_user(user).filter(kelurahan=region).with_member_counts().first()
    groups = list(
        CommunityGroup.objects.for_user(user)
        .filter(kelurahan=region)
        .with_member_counts()
        .order_by("kind", "name")
    )
    return {"bkm": bkm, "groups": groups}


# Facilitator coverage ------------------------------------------------------------


def _active_pendamping(day):
    return FacilitatorProfile.objects.active_on(day).values("user_id")


def _covered(day):
    """Whether an active pendamping is assigned to the kelurahan or to a region above it
    (its code's prefixes). The assigned regions are one subquery that the database reads
    once and hashes, not a lookup per kelurahan (11,000 of them took a national
    officer's coverage page about 0.1 s)."""
    assigned = PlaceAssignment.objects.filter(user_id__in=_active_pendamping(day)).values(
        "region_id"
    )
    condition = Q(code__in=assigned)
    for length in ANCESTOR_PREFIX_LENGTHS:
        condition |= Q(In(Substr("code", 1, length), assigned))
    return ExpressionWrapper(condition, output_field=BooleanField())


# Who may see which facilitators cover which kelurahan (programs:coverage): the officers
# who assign them, not the facilitators themselves.
COVERAGE_ROLES = frozenset(
    (
        Role.NATIONAL_OFFICER,
        Role.PROVINCE_COORDINATOR,
        Role.DISTRICT_STAFF,
        Role.CITY_COORDINATOR,
    )
)


def sees_coverage(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) in COVERAGE_ROLES)
    )


def coverage_kelurahan(user, *, day=None, within: str = "", uncovered_only: bool = False):
    """Kelurahan in the program (with a BKM) in the user's places, each with `covered`:
    whether an active pendamping is assigned to it or to a region above it."""
    day = day or datetime.date.today()
    regions = (
        Region.objects.filter(user_scope_q(user, "code"), level=RegionLevel.KELURAHAN_DESA)
        .filter(Exists(Bkm.objects.filter(kelurahan=OuterRef("code"))))
        .annotate(covered=_covered(day))
        .select_related("parent__parent")
        .order_by("code")
    )
    if within:
        regions = regions.filter(Q(code=within) | Q(code__startswith=f"{within}."))
    if uncovered_only:
        regions = regions.filter(covered=False)
    return regions


def coverage_people(kelurahan_list, *, day=None) -> dict[str, list]:
    """For a page of kelurahan: code → the active pendamping covering it (one query)."""
    day = day or datetime.date.today()
    codes = {region.code for region in kelurahan_list}
    wanted = codes | {code for kel in codes for code in ancestor_codes(kel)}
    assignments = (
        PlaceAssignment.objects.filter(region_id__in=sorted(wanted))
        .filter(user_id__in=_active_pendamping(day))
        .select_related("user__facilitator_profile")
        .order_by("region_id", "user__username")
    )
    people = {code: [] for code in codes}
    for assignment in assignments:
        for code in codes:
            if code == assignment.region_id or code.startswith(f"{assignment.region_id}."):
                people[code].append(assignment)
    return people


def coverage_summary(regions) -> dict:
    return regions.order_by().aggregate(
        total=Count("code"), uncovered=Count("code", filter=Q(covered=False))
    )


# Plans -----------------------------------------------------------------------------


def rplp_list(user):
    return Rplp.objects.for_user(user).select_related("kelurahan__parent__parent")


def rkm_list(user):
    return RkmProposal.objects.for_user(user).select_related("kelurahan__parent__parent", "rtrw")


def rp2kpkp_list(user):
    return (
        Rp2kpkp.objects.for_user(user)
        .select_related("kabupaten")
        .annotate(committed=Sum("commitments__amount"))
        .order_by("kabupaten_id", "-start_year")
    )


def commitments_by_year(plan):
    """The memorandum program: commitments by year and source, with yearly totals."""
    rows = list(plan.commitments.order_by("year", "funding_source"))
    totals = plan.commitments.values("year").annotate(total=Sum("amount")).order_by("year")
    return rows, list(totals)


# Events ----------------------------------------------------------------------------


def event_list(user):
    return Event.objects.for_user(user).prefetch_related("regions")


def _count_sums():
    return {name: Sum(name) for name in COUNT_FIELDS}


def event_totals_by_year(events):
    """Events and participants per year, summed in the database."""
    return (
        events.order_by()
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(events=Count("pk"), **_count_sums())
        .order_by("-year")
    )


def event_totals_by_region(events, user, *, level: int | None = None):
    """Events and participants per region concerned (an event concerning two regions
    counts in each), limited to the regions the user may see."""
    through = Event.regions.through.objects.filter(event__in=events.order_by().values("pk"))
    if not user.sees_everything:
        through = through.filter(user_scope_q(user, "region__code"))
    if level:
        through = through.filter(region__level=level)
    sums = {name: Sum(f"event__{name}") for name in COUNT_FIELDS}
    return (
        through.values("region__code", "region__name")
        .annotate(events=Count("event", distinct=True), **sums)
        .order_by("region__code")
    )
