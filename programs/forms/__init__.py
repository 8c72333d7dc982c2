from .events import AttendanceUploadForm, EventForm
from .institutions import BkmForm, BkmStatusForm, CommunityGroupForm, GroupDissolveForm, MemberForm
from .plans import CommitmentForm, RkmProposalForm, Rp2kpkpForm, RplpForm

__all__ = [
    "AttendanceUploadForm",
    "BkmForm",
    "BkmStatusForm",
    "CommitmentForm",
    "CommunityGroupForm",
    "EventForm",
    "GroupDissolveForm",
    "MemberForm",
    "RkmProposalForm",
    "Rp2kpkpForm",
    "RplpForm",
]
