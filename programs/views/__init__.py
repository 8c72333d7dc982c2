from django.views.generic import TemplateView

from .events import (
    AttendanceUploadView,
    EventCreateView,
    EventDetailView,
    EventListView,
    EventUpdateView,
)
from .institutions import (
    BkmCreateView,
    BkmDetailView,
    BkmListView,
    BkmMemberCreateView,
    BkmStatusCreateView,
    BkmUpdateView,
    CommunityGroupCreateView,
    CommunityGroupDetailView,
    CommunityGroupDissolveView,
    CommunityGroupListView,
    CommunityGroupUpdateView,
    GroupMemberCreateView,
    MemberUpdateView,
)
from .people import CoverageView
from .plans import (
    CommitmentCreateView,
    RkmProposalCreateView,
    RkmProposalDetailView,
    RkmProposalListView,
    RkmProposalUpdateView,
    Rp2kpkpCreateView,
    Rp2kpkpDetailView,
    Rp2kpkpListView,
    Rp2kpkpUpdateView,
    RplpCreateView,
    RplpDetailView,
    RplpListView,
    RplpUpdateView,
)


class ProgramIndexView(TemplateView):
    template_name = "programs/index.html"


__all__ = [
    "AttendanceUploadView",
    "BkmCreateView",
    "BkmDetailView",
    "BkmListView",
    "BkmMemberCreateView",
    "BkmStatusCreateView",
    "BkmUpdateView",
    "CommitmentCreateView",
    "CommunityGroupCreateView",
    "CommunityGroupDetailView",
    "CommunityGroupDissolveView",
    "CommunityGroupListView",
    "CommunityGroupUpdateView",
    "CoverageView",
    "EventCreateView",
    "EventDetailView",
    "EventListView",
    "EventUpdateView",
    "GroupMemberCreateView",
    "MemberUpdateView",
    "ProgramIndexView",
    "RkmProposalCreateView",
    "RkmProposalDetailView",
    "RkmProposalListView",
    "RkmProposalUpdateView",
    "Rp2kpkpCreateView",
    "Rp2kpkpDetailView",
    "Rp2kpkpListView",
    "Rp2kpkpUpdateView",
    "RplpCreateView",
    "RplpDetailView",
    "RplpListView",
    "RplpUpdateView",
]
