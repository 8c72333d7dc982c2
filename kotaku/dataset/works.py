"""Works of each kelurahan/desa and fiscal year, from their RKM proposals, with the status
steps, progress reports, photos, handover and maintenance checks that their status
implies, and the spending that the budgets stage charges to allocations.

The rules kept: a work's builder is a KSM or Panitia of its own kelurahan/desa (none
for a contracted work); statuses follow the chain without skipping; a completed (or
later) work's latest approved report says 100%; physical progress and money spent never
go down from one report to the next, never jump by more than 50 points, and every
report lies between the start of construction and AS_OF; beneficiaries served stay
within those planned and women within people; money spent stays within the budget
unless district staff approved an overrun."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kotaku.workflow import ReviewStatus
from programs.models import RkmProposal
from works.choices import PhotoStage, WorkMethod, WorkScale, WorkStatus
from works.models import (
    Handover,
    MaintenanceCheck,
    ProgressReport,
    ReportPhoto,
    Work,
    WorkStatusChange,
    WorkType,
)

from .base import (
    AS_OF,
    FISCAL_YEARS,
    PLACES_PER_CHUNK,
    Stage,
    at,
    chunks,
    day_between,
    money,
    plus,
    rng_for,
)
from .slums import latest_status, review_stamps

PHOTO = "dataset/foto-100.jpg"
HANDOVER_PDF = "dataset/berita-acara-serah-terima.pdf"
STEPS = list(WorkStatus.values)
# How the works of a fiscal year stand on AS_OF: (status, weight).
STANDING = {
    "old": (
        (WorkStatus.MAINTAINED, 45),
        (WorkStatus.HANDED_OVER, 38),
        (WorkStatus.CERTIFIED, 7),
        (WorkStatus.COMPLETED, 6),
        (WorkStatus.UNDER_CONSTRUCTION, 2),
        (WorkStatus.PLANNED, 2),
    ),
    2024: (
        (WorkStatus.MAINTAINED, 25),
        (WorkStatus.HANDED_OVER, 40),
        (WorkStatus.CERTIFIED, 14),
        (WorkStatus.COMPLETED, 14),
        (WorkStatus.UNDER_CONSTRUCTION, 4),
        (WorkStatus.PLANNED, 3),
    ),
    2025: (
        (WorkStatus.HANDED_OVER, 8),
        (WorkStatus.CERTIFIED, 10),
        (WorkStatus.COMPLETED, 30),
        (WorkStatus.UNDER_CONSTRUCTION, 42),
        (WorkStatus.PLANNED, 10),
    ),
}
SOURCES = (("bpm-reguler", 60), ("bpm-pkt", 17), ("apbd-kabkota", 15), ("dak", 4), ("csr", 4))
PROPOSAL_SOURCE = {
    "bpm-reguler": "bpm_reguler",
    "bpm-pkt": "bpm_pkt",
    "bdi": "bdi",
    "apbd-kabkota": "apbd_kabkota",
    "dak": "dak",
    "csr": "csr",
}
NOTES = (
    "Pekerjaan persiapan dan pengukuran selesai.",
    "Material sudah dikirim ke lokasi.",
    "Pekerjaan berjalan sesuai rencana.",
    "Kerja bakti warga membantu pekerjaan.",
    "Cuaca hujan, pekerjaan sedikit melambat.",
)


@dataclass(slots=True)
class Charge:
    """What the budgets stage needs of a work: its money and when it was spent."""

    work: int
    place: object
    year: int
    source: str
    budget: int
    overrun: int
    spending: list  # (date, amount, status)
    swadaya_days: list


def _weighted(rng, choices):
    total = sum(weight for _choice, weight in choices)
    draw = rng.uniform(0, total)
    for choice, weight in choices:
        draw -= weight
        if draw <= 0:
            return choice
    return choices[-1][0]


def _works_in_year(rng, mean) -> int:
    return max(0, round(rng.gauss(mean, 1.2)))


def _smooth(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def _placeholders():
    """One photo and one handover PDF that every generated record points at."""
    if not default_storage.exists(PHOTO):
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (640, 480), (150, 160, 150)).save(buffer, "JPEG", quality=70)
        default_storage.save(PHOTO, ContentFile(buffer.getvalue()))
    if not default_storage.exists(HANDOVER_PDF):
        default_storage.save(
            HANDOVER_PDF,
            ContentFile(
                b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
                b"trailer<</Root 1 0 R>>\n%%EOF\n"
            ),
        )


class _Builder:
    def __init__(self, ctx, rng):
        self.ctx, self.rng = ctx, rng
        writer = ctx.writer
        self.types = [
            (t.pk, t.name, t.aspect, t.default_unit) for t in WorkType.objects.order_by("name")
        ]
        self.work_id = writer.next_id(Work)
        self.report_id = writer.next_id(ProgressReport)
        self.proposal_id = writer.next_id(RkmProposal)
        self.charges: list[Charge] = []
        self.wage_rate = {kab: rng.randint(90, 150) * 1000 for kab in ctx.kabupaten}
        self.reset()

    def reset(self):
        self.rows = {
            model: []
            for model in (
                RkmProposal,
                Work,
                WorkStatusChange,
                Handover,
                MaintenanceCheck,
                ProgressReport,
                ReportPhoto,
            )
        }

    # --- planning ------------------------------------------------------------------------

    def plan_year(self, place, year):
        rng = self.rng
        count = _works_in_year(rng, self.ctx.scale.works_per_kelurahan_year)
        for priority in range(1, count + 1):
            self.work(place, year, priority)
        for priority in range(count + 1, count + 1 + rng.randint(0, 2)):
            self.proposal(place, year, priority, *self._design(place))

    def _design(self, place):
        rng = self.rng
        type_id, type_name, aspect, unit = rng.choice(self.types)
        volume = Decimal(rng.randint(40, 600)) if unit == "m" else Decimal(rng.randint(1, 12))
        rtrw = rng.choice(place.rtrw)
        return type_id, type_name, aspect, unit, volume, rtrw

    def proposal(self, place, year, priority, type_id, type_name, aspect, unit, volume, rtrw,
                 budget=None, source="bpm-reguler"):  # fmt: skip
        rng = self.rng
        self.rows[RkmProposal].append(
            {
                "id": self.proposal_id,
                "kelurahan_id": place.code,
                "year": year,
                "aspect": aspect,
                "work_type": type_name,
                "rtrw_id": rtrw[0],
                "volume": volume,
                "unit": unit,
                "estimated_cost": Decimal(budget or money(rng.uniform(40, 350))),
                "priority": priority,
                "funding_source": PROPOSAL_SOURCE[source],
                "description": "",
            }
        )
        self.proposal_id += 1
        return self.proposal_id - 1

    def work(self, place, year, priority):
        rng = self.rng
        type_id, type_name, aspect, unit, volume, rtrw = self._design(place)
        kawasan = rng.random() < 0.06
        if kawasan:
            source, budget = "bdi", money(rng.uniform(300, 1500))
        else:
            source, budget = _weighted(rng, SOURCES), money(rng.uniform(40, 350))
        contract = kawasan and rng.random() < 0.5
        builder = None
        if not contract:
            builder = rng.choice(place.panitia if kawasan and place.panitia else place.builders)
        proposal = self.proposal(
            place, year, priority, type_id, type_name, aspect, unit, volume, rtrw, budget, source
        )
        start = day_between(rng, datetime.date(year, 3, 1), datetime.date(year, 8, 31))
        duration = rng.randint(90, 210)
        households = rng.randint(30, 250)
        people = int(households * rng.uniform(3.4, 4.2))
        work = {
            "id": self.work_id,
            "fiscal_year": year,
            "kelurahan_id": place.code,
            "rtrw_id": rtrw[0],
            "slum_area_id": rng.choice(place.slum_areas)
            if place.slum_areas and rng.random() < 0.75
            else None,
            "aspect": aspect,
            "work_type_id": type_id,
            "name": f"{type_name} RT {rtrw[2]:02d}/RW {rtrw[1]:02d} {place.name}",
            "scale": WorkScale.KAWASAN if kawasan else WorkScale.LINGKUNGAN,
            "volume": volume,
            "unit": unit,
            "latitude": Decimal(f"{place.lat + rng.uniform(-0.01, 0.01):.6f}"),
            "longitude": Decimal(f"{place.lon + rng.uniform(-0.01, 0.01):.6f}"),
            "builder_id": builder,
            "method": WorkMethod.CONTRACT if contract else WorkMethod.SWAKELOLA,
            "planned_start": start,
            "planned_end": plus(start, duration),
            "budget": Decimal(budget),
            "proposal_id": proposal,
            "planned_people": people,
            "planned_women": int(people * rng.uniform(0.45, 0.52)),
            "planned_households": households,
            "planned_poor_households": int(households * rng.uniform(0.2, 0.5)),
            "planned_mbr": int(households * rng.uniform(0.4, 0.8)),
            "status": WorkStatus.PLANNED,
            "status_date": None,
        }
        self.rows[Work].append(work)
        self.live(work, place, source, budget, duration)
        self.work_id += 1

    # --- what happened -------------------------------------------------------------------

    def live(self, work, place, source, budget, duration):
        """Walk the work through its statuses up to where it stands on AS_OF."""
        rng = self.rng
        year = work["fiscal_year"]
        target = _weighted(rng, STANDING.get(year, STANDING["old"]))
        charge = Charge(work["id"], place, year, source, budget, 0, [], [])
        self.charges.append(charge)
        if target == WorkStatus.PLANNED:
            return
        begun = plus(work["planned_start"], rng.randint(0, 14))
        days = int(duration * rng.uniform(0.9, 1.25))
        done = plus(begun, days)
        dates = {WorkStatus.UNDER_CONSTRUCTION: begun}
        if STEPS.index(target) >= STEPS.index(WorkStatus.COMPLETED):
            if done > plus(AS_OF, -20):
                done = plus(AS_OF, -rng.randint(5, 20))
                days = (done - begun).days
            if days < 45:
                target = WorkStatus.UNDER_CONSTRUCTION
        if target != WorkStatus.UNDER_CONSTRUCTION:
            dates[WorkStatus.COMPLETED] = done
            following = (
                (WorkStatus.CERTIFIED, 7, 30),
                (WorkStatus.HANDED_OVER, 7, 45),
                (WorkStatus.MAINTAINED, 60, 300),
            )
            last = done
            for status, low, high in following:
                if STEPS.index(status) > STEPS.index(target):
                    break
                day = plus(last, rng.randint(low, high))
                if day > AS_OF:
                    target = STEPS[STEPS.index(status) - 1]
                    break
                dates[status] = last = day
        self.status_steps(work, place, dates)
        self.handover_and_checks(work, place, dates)
        overrun = target != WorkStatus.UNDER_CONSTRUCTION and rng.random() < 0.01
        self.reports(work, place, charge, begun, done, days, target, overrun)

    def status_steps(self, work, place, dates):
        rng, previous = self.rng, WorkStatus.PLANNED
        for status, day in dates.items():
            by = (
                place.facilitator
                if status in (WorkStatus.UNDER_CONSTRUCTION, WorkStatus.COMPLETED)
                else self.ctx.perkim[place.kabupaten]
            )
            self.rows[WorkStatusChange].append(
                {
                    "work_id": work["id"],
                    "from_status": previous,
                    "to_status": status,
                    "date": day,
                    "by_id": by,
                    "reason": "",
                    "recorded_at": at(day, 17, rng.randint(0, 59)),
                }
            )
            previous = status
        work["status"], work["status_date"] = previous, dates[previous]

    def handover_and_checks(self, work, place, dates):
        rng = self.rng
        handed = dates.get(WorkStatus.HANDED_OVER)
        if handed is None:
            return
        to_district = work["scale"] == WorkScale.KAWASAN or not place.kpp
        self.rows[Handover].append(
            {
                "work_id": work["id"],
                "kpp_id": None if to_district else rng.choice(place.kpp),
                "to_district": to_district,
                "date": handed,
                "document": HANDOVER_PDF,
                "notes": "",
            }
        )
        first = dates.get(WorkStatus.MAINTAINED)
        day = first
        while day is not None and day <= AS_OF:
            good = rng.random() < 0.9
            self.rows[MaintenanceCheck].append(
                {
                    "work_id": work["id"],
                    "checked_on": day,
                    "exists": True,
                    "good_condition": good,
                    "used": good or rng.random() < 0.5,
                    "notes": "" if good else "Perlu perbaikan kecil oleh KPP.",
                    "photo": "",
                    "checked_by_id": place.facilitator,
                }
            )
            day = plus(day, rng.randint(150, 400))

    def reports(self, work, place, charge, begun, done, days, target, overrun):
        rng, ctx = self.rng, self.ctx
        built = target != WorkStatus.UNDER_CONSTRUCTION
        if built:
            end, reach = done, 1.0
        elif work["fiscal_year"] == FISCAL_YEARS[-1]:
            end = max(plus(begun, 10), plus(AS_OF, -rng.randint(0, 25)))
            reach = min(0.95, (end - begun).days / days)
        else:  # stalled long ago
            end = plus(begun, int(days * rng.uniform(0.4, 0.8)))
            reach = (end - begun).days / days
        span = max(1, (end - begun).days)
        step = min(rng.randint(12, 20), max(3, span // 4))
        dates = [plus(begun, offset) for offset in range(step, span, step)]
        if not dates or dates[-1] != end:
            dates.append(end)
        budget = work["budget"]
        final_share = rng.uniform(1.02, 1.08) if overrun else rng.uniform(0.93, 1.0)
        men, women = rng.randint(6, 20), rng.randint(1, 8)
        rate = self.wage_rate[place.kabupaten]
        progress = spent = Decimal(0)
        previous_day = begun
        stamps = {
            "submitter": place.facilitator,
            "verifier": ctx.askot[place.kabupaten],
            "approver": ctx.perkim[place.kabupaten],
        }
        rows = self.rows[ProgressReport]
        for index, day in enumerate(dates):
            last = index == len(dates) - 1
            share = 1.0 if built and last else _smooth((day - begun).days / span * reach)
            progress = max(progress, Decimal(f"{100 * share:.2f}"))
            money_share = final_share if built and last else min(final_share, share * 1.01)
            spent = max(spent, Decimal(int(float(budget) * money_share / 1000) * 1000))
            workers_men = max(1, men + rng.randint(-2, 2))
            workers_women = max(0, women + rng.randint(-1, 1))
            period = max(1, (day - previous_day).days)
            labour = Decimal(f"{(workers_men + workers_women) * period * 5 / 7 * 0.7:.1f}")
            status = latest_status(rng) if last and not built else ReviewStatus.APPROVED
            people = int(work["planned_people"] * share)
            households = int(work["planned_households"] * share)
            rows.append(
                {
                    "id": self.report_id,
                    "work_id": work["id"],
                    "report_date": day,
                    "physical_progress": progress,
                    "spent_to_date": spent,
                    "workers_men": workers_men,
                    "workers_women": workers_women,
                    "labour_days": labour,
                    "wage_value": Decimal(int(labour * rate)),
                    "served_people": people,
                    "served_women": min(people, int(work["planned_women"] * share)),
                    "served_households": households,
                    "served_poor_households": min(
                        households, int(work["planned_poor_households"] * share)
                    ),
                    "served_mbr": int(work["planned_mbr"] * share),
                    "notes": rng.choice(NOTES),
                    "reason_for_decrease": "",
                    "created_by_id": place.facilitator,
                    "created_at": at(day, 15, rng.randint(0, 59)),
                    **review_stamps(rng, status, day, **stamps),
                }
            )
            if built and last:
                self.rows[ReportPhoto].append(
                    {
                        "report_id": self.report_id,
                        "stage": PhotoStage.DONE,
                        "image": PHOTO,
                        "display": "",
                        "thumbnail": "",
                        "image_format": "jpeg",
                        "width": 640,
                        "height": 480,
                        "caption": "Pekerjaan selesai 100%",
                        "uploaded_at": at(day, 15, 30),
                    }
                )
            self.report_id += 1
            previous_day = day
        self._charge(charge, rows[-len(dates) :], int(budget))

    def _charge(self, charge, reports, budget):
        """Spending entries at a few report dates, adding up to the money spent to date."""
        rng = self.rng
        picks = sorted(
            rng.sample(range(len(reports) - 1), min(len(reports) - 1, rng.randint(0, 1)))
        )
        booked = 0
        for index in [*picks, len(reports) - 1]:
            report = reports[index]
            amount = int(report["spent_to_date"]) - booked
            if amount <= 0:
                continue
            status = ReviewStatus.APPROVED
            if report["status"] != ReviewStatus.APPROVED:
                status = report["status"]
            charge.spending.append((report["report_date"], amount, status))
            booked += amount
        charge.overrun = max(0, booked - budget)
        if rng.random() < 0.3:
            charge.swadaya_days = [reports[len(reports) // 2]["report_date"]]

    def flush(self, stage):
        writer = self.ctx.writer
        for model, rows in self.rows.items():
            stage.add(model.__name__, writer.insert(model, rows))
        self.reset()


def create_works(ctx, out):
    rng = rng_for(ctx.seed, "works")
    _placeholders()
    with Stage("works and progress", out) as stage:
        builder = _Builder(ctx, rng)
        for part in chunks(ctx.places, PLACES_PER_CHUNK // 4):
            for place in part:
                for year in FISCAL_YEARS:
                    builder.plan_year(place, year)
            builder.flush(stage)
        ctx.charges = builder.charges
