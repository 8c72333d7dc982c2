"""Writes to BKMs, community groups and their members."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import GroupStatus
from ..models import Bkm, BkmStatus, CommunityGroup, Member
from ._base import save_checked

BKM_FIELDS = [
    "name",
    "coordinator",
    "address",
    "deed_number",
    "deed_date",
    "bank_name",
    "account_number",
    "phone",
    "formed_on",
]
GROUP_FIELDS = ["name", "formed_on", "purpose"]
NO_BKM_MESSAGE = gettext_lazy(
    "%(place)s has no BKM/LKM yet: register the BKM/LKM before its groups."
)
MEMBER_FIELDS = ["name", "sex", "role", "poor_household", "phone", "nik"]


def _pick(data, names):
    return {name: data[name] for name in names if name in data}


@transaction.atomic
def bkm_create(*, kelurahan, **data) -> Bkm:
    """Register the BKM/LKM of a kelurahan; a kelurahan has at most one (a constraint)."""
    return save_checked(Bkm(kelurahan=kelurahan), **_pick(data, BKM_FIELDS))


@transaction.atomic
def bkm_update(*, bkm: Bkm, **data) -> Bkm:
    """Edit a BKM; its kelurahan does not change."""
    return save_checked(bkm, **_pick(data, BKM_FIELDS))


@transaction.atomic
def bkm_status_add(*, bkm: Bkm, year: int, status: str, note: str = "") -> BkmStatus:
    """Record the independence status a BKM reached in `year` (one per year)."""
    return save_checked(BkmStatus(bkm=bkm), year=year, status=status, note=note)


@transaction.atomic
def group_create(*, kelurahan, kind: str, **data) -> CommunityGroup:
    """Form a KSM, KPP or Panitia under the BKM of its kelurahan.

    Refused when the kelurahan has no BKM yet: every group answers to its BKM.
    """
    bkm = Bkm.objects.select_for_update().filter(kelurahan=kelurahan).first()
    if bkm is None:
        raise ValidationError({"kelurahan": NO_BKM_MESSAGE % {"place": kelurahan.name}})
    group = CommunityGroup(kelurahan=kelurahan, bkm=bkm, kind=kind)
    return save_checked(group, **_pick(data, GROUP_FIELDS))


@transaction.atomic
def group_update(*, group: CommunityGroup, **data) -> CommunityGroup:
    """Edit a group's name, formation date and purpose (kind and place stay)."""
    return save_checked(group, **_pick(data, GROUP_FIELDS))


@transaction.atomic
def group_dissolve(*, group: CommunityGroup, dissolved_on) -> CommunityGroup:
    """Dissolve a group: it is kept with its members and works, never deleted."""
    group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_active:
        raise ValidationError(_("This group is already dissolved."))
    return save_checked(group, status=GroupStatus.DISSOLVED, dissolved_on=dissolved_on)


def _normal_name(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _normal_phone(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def _same_person(member: Member, other: Member) -> bool:
    if member.nik and other.nik:
        return member.nik == other.nik
    return _normal_name(member.name) == _normal_name(other.name) and _normal_phone(
        member.phone
    ) == _normal_phone(other.phone)


def _check_not_twice(member: Member):
    others = Member.objects.filter(group=member.group, bkm=member.bkm).exclude(pk=member.pk)
    for other in others.only("name", "phone", "nik"):
        if _same_person(member, other):
            raise ValidationError(
                _("%(name)s is already a member of this group.") % {"name": other.name}
            )


def _lock_parent(parent):
    return type(parent).objects.select_for_update().get(pk=parent.pk)


@transaction.atomic
def member_add(*, parent, **data) -> Member:
    """Add a member to a BKM or a community group.

    The same person (same NIK, or same name and phone when a NIK is missing) is not
    added twice; the parent row is locked so two clerks cannot add them at once.
    """
    parent = _lock_parent(parent)
    if isinstance(parent, CommunityGroup):
        if not parent.is_active:
            raise ValidationError(_("A dissolved group takes no new members."))
        member = Member(group=parent, kelurahan_id=parent.kelurahan_id)
    else:
        member = Member(bkm=parent, kelurahan_id=parent.kelurahan_id)
    for name, value in _pick(data, MEMBER_FIELDS).items():
        setattr(member, name, value)
    member.name = " ".join(member.name.split())
    member.full_clean()
    _check_not_twice(member)
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, **data) -> Member:
    """Edit a member; the same duplicate rule as member_add applies."""
    _lock_parent(member.parent)
    for name, value in _pick(data, MEMBER_FIELDS).items():
        setattr(member, name, value)
    member.name = " ".join(member.name.split())
    member.full_clean()
    _check_not_twice(member)
    member.save()
    return member
