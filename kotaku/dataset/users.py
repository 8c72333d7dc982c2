"""Users of the program: a national officer, a coordinator per province, district staff
(Dinas Perkim) and an Askot and a Korkot per kabupaten/kota, and facilitators each
covering a few kelurahan/desa. All share the demo password.

Usernames start with `gen-`; that prefix is how the command recognises a database that
already holds generated data."""

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.choices import Role
from accounts.models import PlaceAssignment, User
from programs.choices import Position
from programs.models import FacilitatorProfile

from . import names
from .base import Stage, at, rng_for

PREFIX = "gen-"
PASSWORD = "kotaku-demo-2026"
JOINED = datetime.date(2020, 11, 2)


def generated_users():
    return User.objects.filter(username__startswith=PREFIX)


class _Cast:
    def __init__(self, ctx, rng):
        self.ctx, self.rng = ctx, rng
        self.next_user = ctx.writer.next_id(User)
        self.users, self.memberships, self.assignments, self.profiles = [], [], [], []
        # A fixed salt: the hash, like everything else, depends on the seed alone.
        self.password = make_password(PASSWORD, salt=f"kotakuseed{ctx.seed}")
        self.groups = {role: Group.objects.get(name=role.value).pk for role in Role}

    def add(self, username, role, places, position=None):
        rng, user_id = self.rng, self.next_user
        self.next_user += 1
        sex = "L" if rng.random() < 0.6 else "P"
        first, last = names.person(rng, sex).split(" ", 1)
        self.users.append(
            {
                "id": user_id,
                "password": self.password,
                "last_login": None,
                "is_superuser": False,
                "username": f"{PREFIX}{username}",
                "first_name": first,
                "last_name": last,
                "email": f"{PREFIX}{username}@kotaku.example",
                "is_staff": False,
                "is_active": True,
                "date_joined": at(JOINED),
                "phone": names.phone(rng),
            }
        )
        self.memberships.append({"user_id": user_id, "group_id": self.groups[role]})
        for code in places:
            self.assignments.append(
                {"user_id": user_id, "region_id": code, "created_at": at(JOINED, 11)}
            )
        if position:
            self.profiles.append(
                {
                    "user_id": user_id,
                    "position": position,
                    "phone": self.users[-1]["phone"],
                    "period_start": datetime.date(2021, 1, 4),
                    "period_end": None,
                }
            )
        return user_id


def create_users(ctx, out):
    rng = rng_for(ctx.seed, "users")
    with Stage("users", out) as stage:
        cast = _Cast(ctx, rng)
        ctx.national_officer = cast.add("nasional", Role.NATIONAL_OFFICER, [])
        for province in ctx.provinces:
            cast.add(f"provinsi-{province}", Role.PROVINCE_COORDINATOR, [province], Position.OSP)
        ctx.perkim, ctx.askot = {}, {}
        for kab in ctx.kabupaten:
            slug = kab.replace(".", "")
            ctx.perkim[kab] = cast.add(
                f"perkim-{slug}", Role.DISTRICT_STAFF, [kab], Position.PERKIM
            )
            ctx.askot[kab] = cast.add(f"askot-{slug}", Role.CITY_COORDINATOR, [kab], Position.ASKOT)
            cast.add(f"korkot-{slug}", Role.CITY_COORDINATOR, [kab], Position.KORKOT)
        number, team = 0, ctx.scale.kelurahan_per_facilitator
        by_kab: dict[str, list] = {}
        for place in ctx.places:
            by_kab.setdefault(place.kabupaten, []).append(place)
        for kab in ctx.kabupaten:
            places = by_kab[kab]
            for start in range(0, len(places), team):
                number += 1
                covered = places[start : start + team]
                user_id = cast.add(
                    f"fasilitator-{number:05d}",
                    Role.FACILITATOR,
                    [place.code for place in covered],
                    Position.FACILITATOR,
                )
                for place in covered:
                    place.facilitator = user_id
        writer = ctx.writer
        stage.add("users", writer.insert(User, cast.users))
        stage.add("roles", writer.insert(User.groups.through, cast.memberships))
        stage.add("place assignments", writer.insert(PlaceAssignment, cast.assignments))
        stage.add("facilitator profiles", writer.insert(FacilitatorProfile, cast.profiles))
