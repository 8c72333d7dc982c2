from django.db import models
from django.utils.translation import gettext_lazy as _


class IndependenceStatus(models.TextChoices):
    """The yearly independence status of a BKM/LKM."""

    AWAL = "awal", _("Awal (starting)")
    BERDAYA = "berdaya", _("Berdaya (empowered)")
    MANDIRI = "mandiri", _("Mandiri (independent)")
    MADANI = "menuju_madani", _("Menuju Madani (towards civil society)")


class GroupKind(models.TextChoices):
    KSM = "ksm", _("KSM (self-help group)")
    KPP = "kpp", _("KPP (users' and maintenance group)")
    PANITIA = "panitia", _("Panitia (committee)")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class Sex(models.TextChoices):
    MALE = "L", _("Man")
    FEMALE = "P", _("Woman")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    MEMBER = "member", _("Member")


class Position(models.TextChoices):
    """Where a pendamping sits in the program."""

    FACILITATOR = "fasilitator", _("Fasilitator / Tim Faskel")
    ASKOT = "askot", _("Askot (city assistant)")
    KORKOT = "korkot", _("Korkot (city coordinator)")
    OSP = "osp", _("OSP/KMW consultant")
    PERKIM = "perkim", _("District Dinas Perkim")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    APPROVED = "approved", _("Approved")


class VolumeUnit(models.TextChoices):
    METRE = "m", "m"
    SQUARE_METRE = "m2", "m²"
    CUBIC_METRE = "m3", "m³"
    UNIT = "unit", _("unit")


class FundingSource(models.TextChoices):
    BPM_REGULAR = "bpm_reguler", _("BPM regular")
    BPM_PKT = "bpm_pkt", _("BPM cash for work (PKT)")
    BDI = "bdi", _("BDI (district-scale works)")
    APBD_PROVINCE = "apbd_provinsi", _("APBD province")
    APBD_DISTRICT = "apbd_kabkota", _("APBD kabupaten/kota")
    DAK = "dak", _("DAK")
    CSR = "csr", _("CSR / non-government")
    SWADAYA = "swadaya", _("Swadaya (community)")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    SOSIALISASI = "sosialisasi", _("Sosialisasi (outreach)")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "pelatihan", _("Training (pelatihan)")
    COORDINATION = "rakor", _("Coordination meeting (rapat koordinasi)")


class EventLevel(models.TextChoices):
    KELURAHAN = "kelurahan", _("Kelurahan/desa")
    DISTRICT = "kabupaten", _("Kabupaten/kota")
    PROVINCE = "provinsi", _("Province")
    NATIONAL = "nasional", _("National")


class ParticipantRole(models.TextChoices):
    BKM = "bkm", "BKM"
    KSM = "ksm", "KSM"
    KPP = "kpp", "KPP"
    FACILITATOR = "facilitator", _("Facilitator")
    GOVERNMENT = "government", _("Government")
    OTHER = "other", _("Other")
