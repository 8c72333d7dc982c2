import pytest

from accounts import demo as accounts_demo
from programs import demo
from programs.models import Bkm, CommunityGroup, Event, FacilitatorProfile, RkmProposal

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changes(regions):
    accounts_demo.load()
    demo.load()
    counts = [m.objects.count() for m in (Bkm, CommunityGroup, Event, RkmProposal)]
    demo.load()
    assert [m.objects.count() for m in (Bkm, CommunityGroup, Event, RkmProposal)] == counts
    assert counts == [7, 2, 1, 1]
    ksm = CommunityGroup.objects.with_member_counts().get(kind="ksm")
    assert (ksm.member_count, ksm.men_count, ksm.women_count, ksm.poor_count) == (5, 3, 2, 2)
    proposal = RkmProposal.objects.get()
    assert (proposal.volume, proposal.rtrw.rt) == (140, 7)
    assert FacilitatorProfile.objects.get().user.username == "fasilitator.jiwan"
