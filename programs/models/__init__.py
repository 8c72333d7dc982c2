from .events import AttendanceRow, Event
from .institutions import Bkm, BkmStatus, CommunityGroup, Member
from .people import FacilitatorProfile
from .plans import Commitment, RkmProposal, Rp2kpkp, Rplp

__all__ = [
    "AttendanceRow",
    "Bkm",
    "BkmStatus",
    "Commitment",
    "CommunityGroup",
    "Event",
    "FacilitatorProfile",
    "Member",
    "RkmProposal",
    "Rp2kpkp",
    "Rplp",
]
