"""One demo user per role, with sensible places. Idempotent."""

from django.contrib.auth.models import Group
from django.db import transaction

from .choices import Role
from .models import PlaceAssignment, User

DEMO_PASSWORD = "kotaku-demo-2026"

# username, full name, role, assigned region codes, is_staff
DEMO_USERS = [
    ("nasional", "Rina Nasional", Role.NATIONAL_OFFICER, [], True),
    ("jatim", "Budi Provinsi", Role.PROVINCE_COORDINATOR, ["35"], False),
    ("perkim.madiun", "Sri Perkim Madiun", Role.DISTRICT_STAFF, ["35.19"], False),
    ("askot.madiun", "Agus Askot Madiun", Role.CITY_COORDINATOR, ["35.19"], False),
    (
        "fasilitator.jiwan",
        "Dewi Fasilitator",
        Role.FACILITATOR,
        ["35.19.09.2010", "35.19.09.2001"],
        False,
    ),
    ("perkim.bondowoso", "Hadi Perkim Bondowoso", Role.DISTRICT_STAFF, ["35.11"], False),
    ("fasilitator.pacitan", "Wahyu Fasilitator", Role.FACILITATOR, ["35.01.04.2014"], False),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create or refresh the demo users; returns (username, role) pairs."""
    created = []
    for username, full_name, role, places, is_staff in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        wanted = {"first_name": first, "last_name": last, "is_staff": is_staff}
        user, _new = User.objects.get_or_create(username=username, defaults=wanted)
        # Save only what differs, so a second run writes nothing (and no history rows).
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        for name in changed:
            setattr(user, name, wanted.get(name, getattr(user, name)))
        if changed:
            user.save(update_fields=changed)
        user.groups.set([Group.objects.get(name=role.value)])
        for code in places:
            PlaceAssignment.objects.get_or_create(user=user, region_id=code)
        PlaceAssignment.objects.filter(user=user).exclude(region_id__in=places).delete()
        created.append((username, role.label))
    return created
