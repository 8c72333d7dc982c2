import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import BUKUR, JIWAN, KLAGENSERUT
from programs.choices import GroupStatus, Position
from programs.models import Bkm, CommunityGroup, FacilitatorProfile, Member

from .factories import BkmFactory, make_group, make_member, region

pytestmark = pytest.mark.django_db


def test_a_kelurahan_has_at_most_one_bkm_in_the_database(regions):
    BkmFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bkm.objects.create(kelurahan=region(KLAGENSERUT), name="Second")


def test_a_bkm_sits_in_a_kelurahan_not_a_kecamatan(regions):
    with pytest.raises(ValidationError) as caught:
        Bkm(kelurahan=region(JIWAN), name="X").full_clean()
    assert "kelurahan" in caught.value.message_dict


def test_group_counts_by_sex_and_poor_households_come_from_the_database(regions):
    group = make_group()
    make_member(group, "Ani", "P", poor_household=True)
    make_member(group, "Budi", "L")
    make_member(group, "Citra", "P")
    counted = CommunityGroup.objects.with_member_counts().get(pk=group.pk)
    assert (counted.member_count, counted.men_count, counted.women_count, counted.poor_count) == (
        3,
        1,
        2,
        1,
    )


def test_a_member_belongs_to_a_bkm_or_a_group_not_both(regions):
    group = make_group()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            bkm=group.bkm, group=group, kelurahan=group.kelurahan, name="X", sex="L"
        )


def test_a_dissolved_group_needs_its_date(regions):
    group = make_group()
    group.status = GroupStatus.DISSOLVED
    with pytest.raises(ValidationError):
        group.full_clean()


def test_groups_are_scoped_through_their_kelurahan(regions, facilitator, outsider):
    make_group()
    make_group(code=BUKUR, name="KSM Bukur")
    assert CommunityGroup.objects.for_user(facilitator).count() == 2
    assert CommunityGroup.objects.for_user(outsider).count() == 0


def test_facilitator_period_cannot_end_before_it_starts(facilitator):
    profile = FacilitatorProfile(
        user=facilitator,
        position=Position.FACILITATOR,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    assert "period_end" in caught.value.message_dict
