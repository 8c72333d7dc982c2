"""Writes to plans: RPLP, RKM proposals, RP2KPKP and its commitments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from locations.models import RtRw
from locations.services import rtrw_create

from ..models import Commitment, RkmProposal, Rp2kpkp, Rplp
from ._base import save_checked

RPLP_FIELDS = ["title", "document_status", "legal_basis", "approved_on", "document"]
RKM_FIELDS = [
    "year",
    "aspect",
    "work_type",
    "volume",
    "unit",
    "estimated_cost",
    "priority",
    "funding_source",
    "description",
]
RP2KPKP_FIELDS = ["title", "start_year", "end_year", "document"]


def _pick(data, names):
    # A file left empty in an edit form keeps the stored file.
    return {
        name: data[name]
        for name in names
        if name in data and not (name == "document" and data[name] is None)
    }


@transaction.atomic
def rplp_create(*, kelurahan, **data) -> Rplp:
    """Record the RPLP of a kelurahan (one per kelurahan)."""
    return save_checked(Rplp(kelurahan=kelurahan), **_pick(data, RPLP_FIELDS))


@transaction.atomic
def rplp_update(*, rplp: Rplp, **data) -> Rplp:
    return save_checked(rplp, **_pick(data, RPLP_FIELDS))


def rtrw_get_or_create(*, kelurahan, rt: int, rw: int) -> RtRw:
    """The RT/RW of a kelurahan, recorded on first use."""
    unit = RtRw.objects.filter(kelurahan=kelurahan, rt=rt, rw=rw).first()
    return unit or rtrw_create(kelurahan=kelurahan, rw=rw, rt=rt)


@transaction.atomic
def rkm_proposal_create(*, kelurahan, rt: int, rw: int, **data) -> RkmProposal:
    """Propose a work in the RKM; the priority rank is unique per kelurahan and year."""
    proposal = RkmProposal(kelurahan=kelurahan)
    proposal.rtrw = rtrw_get_or_create(kelurahan=kelurahan, rt=rt, rw=rw)
    return save_checked(proposal, **_pick(data, RKM_FIELDS))


@transaction.atomic
def rkm_proposal_update(*, proposal: RkmProposal, rt: int, rw: int, **data) -> RkmProposal:
    proposal.rtrw = rtrw_get_or_create(kelurahan=proposal.kelurahan, rt=rt, rw=rw)
    return save_checked(proposal, **_pick(data, RKM_FIELDS))


@transaction.atomic
def rp2kpkp_create(*, kabupaten, **data) -> Rp2kpkp:
    return save_checked(Rp2kpkp(kabupaten=kabupaten), **_pick(data, RP2KPKP_FIELDS))


@transaction.atomic
def rp2kpkp_update(*, plan: Rp2kpkp, **data) -> Rp2kpkp:
    """Edit a plan; its period may not shrink below a year that has commitments."""
    plan = Rp2kpkp.objects.select_for_update().get(pk=plan.pk)
    plan = save_checked(plan, **_pick(data, RP2KPKP_FIELDS))
    outside = plan.commitments.exclude(year__gte=plan.start_year, year__lte=plan.end_year)
    if outside.exists():
        raise ValidationError(_("Some commitments fall outside the new period; change them first."))
    return plan


@transaction.atomic
def commitment_add(*, plan: Rp2kpkp, year: int, funding_source: str, amount) -> Commitment:
    """Commit an amount from a source in a year of the plan (one per year and source)."""
    plan = Rp2kpkp.objects.select_for_update().get(pk=plan.pk)
    return save_checked(
        Commitment(plan=plan), year=year, funding_source=funding_source, amount=amount
    )
