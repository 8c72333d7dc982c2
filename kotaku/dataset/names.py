"""Indonesian names, group names and numbers that look like the real ones."""

import random

MEN = [
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Dodi",
    "Eko",
    "Fajar",
    "Hadi",
    "Hendra",
    "Imam",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nur",
    "Rahmat",
    "Rudi",
    "Slamet",
    "Sugeng",
    "Suparman",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Heru",
    "Iwan",
    "Rizki",
    "Darmawan",
    "Supriyadi",
    "Sutrisno",
    "Hasan",
    "Ilham",
]
WOMEN = [
    "Aisyah",
    "Ani",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Kartini",
    "Lestari",
    "Maya",
    "Nur",
    "Puji",
    "Ratna",
    "Rina",
    "Siti",
    "Sri",
    "Suryani",
    "Tri",
    "Wati",
    "Yanti",
    "Yuni",
    "Nurul",
    "Sulastri",
    "Mulyani",
    "Rahayu",
    "Ernawati",
    "Utami",
    "Dian",
    "Wulan",
    "Fatimah",
    "Khadijah",
    "Hartini",
    "Suharti",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Pratama",
    "Setiawan",
    "Nugroho",
    "Kusuma",
    "Wibowo",
    "Purnomo",
    "Susanto",
    "Rahman",
    "Hasibuan",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Sitompul",
    "Daulay",
    "Tanjung",
    "Syahputra",
    "Permana",
    "Gunawan",
    "Suharto",
    "Sudirman",
    "Mahmud",
    "Hakim",
    "Aziz",
    "Ramadhan",
    "Firmansyah",
]
GROUP_WORDS = [
    "Maju",
    "Makmur",
    "Sejahtera",
    "Bersama",
    "Mandiri",
    "Sentosa",
    "Harapan",
    "Karya",
    "Bakti",
    "Jaya",
    "Rukun",
    "Guyub",
    "Lestari",
    "Berkah",
    "Amanah",
    "Sehati",
    "Gotong",
    "Royong",
    "Bangkit",
    "Mulia",
    "Damai",
    "Indah",
    "Bina",
    "Usaha",
    "Tunas",
    "Melati",
    "Mawar",
    "Cempaka",
    "Kenanga",
    "Flamboyan",
    "Sumber",
    "Rejeki",
    "Tirta",
    "Bumi",
    "Sinar",
    "Fajar",
    "Surya",
    "Pelangi",
    "Cahaya",
]
BANKS = ("BRI", "BNI", "Bank Mandiri", "BTN", "Bank Jatim", "Bank Aceh Syariah", "BSI")
STREETS = ("Jl. Merdeka", "Jl. Pahlawan", "Jl. Diponegoro", "Jl. Sudirman", "Jl. Masjid")


def person(rng: random.Random, sex: str) -> str:
    first = rng.choice(MEN if sex == "L" else WOMEN)
    return f"{first} {rng.choice(FAMILY)}"


def group_words(rng: random.Random, count: int = 2) -> str:
    return " ".join(rng.sample(GROUP_WORDS, count))


def phone(rng: random.Random) -> str:
    """A mobile number: 08 and an operator prefix, 11 to 13 digits."""
    prefix = rng.choice(("0811", "0812", "0813", "0821", "0852", "0857", "0878", "0896"))
    return prefix + "".join(str(rng.randrange(10)) for _ in range(rng.randint(7, 9)))


def nik(rng: random.Random, kelurahan_code: str, sex: str, sequence: int) -> str:
    """A NIK that passes programs.validators.validate_nik: the kecamatan's 6 digits, the
    birth date DDMMYY (day + 40 for women), then a serial that is never 0000."""
    region = kelurahan_code.replace(".", "")[:6]
    day = rng.randint(1, 28) + (40 if sex == "P" else 0)
    month = rng.randint(1, 12)
    year = rng.randint(55, 99) if rng.random() < 0.8 else rng.randint(0, 5)
    return f"{region}{day:02d}{month:02d}{year:02d}{sequence % 9999 + 1:04d}"
