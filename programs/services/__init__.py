"""Writes of the programs app (`<entity>_<verb>`); views, forms and admin call these."""

from .events import AttendanceImportError, event_attendance_upload, event_create, event_update
from .institutions import (
    bkm_create,
    bkm_status_add,
    bkm_update,
    group_create,
    group_dissolve,
    group_update,
    member_add,
    member_update,
)
from .plans import (
    commitment_add,
    rkm_proposal_create,
    rkm_proposal_update,
    rp2kpkp_create,
    rp2kpkp_update,
    rplp_create,
    rplp_update,
    rtrw_get_or_create,
)

__all__ = [
    "AttendanceImportError",
    "bkm_create",
    "bkm_status_add",
    "bkm_update",
    "commitment_add",
    "event_attendance_upload",
    "event_create",
    "event_update",
    "group_create",
    "group_dissolve",
    "group_update",
    "member_add",
    "member_update",
    "rkm_proposal_create",
    "rkm_proposal_update",
    "rp2kpkp_create",
    "rp2kpkp_update",
    "rplp_create",
    "rplp_update",
    "rtrw_get_or_create",
]
