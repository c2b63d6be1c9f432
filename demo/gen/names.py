"""Pools of common names per country, for the background people drawn at random.

Thai names come in pairs (Latin transliteration, Thai script); Malaysian and Singaporean
names are whole names, as they do not split into given and family names the same way.
"""

from __future__ import annotations

from .chance import Chance
from .spelling import ascii_upper

VN_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
             "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
VN_MIDDLE = {"M": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công"),
             "F": ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim")}  # fmt: skip
VN_GIVEN = {"M": ("Anh", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khoa", "Long", "Nam",
                  "Phúc", "Quân", "Sơn", "Trung", "Thắng", "Vinh", "Lộc", "Tài"),
            "F": ("Hà", "Hạnh", "Hoa", "Hương", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang",
                  "Vy", "Yến", "Hằng", "Ngân", "Oanh")}  # fmt: skip
PH_GIVEN = {"M": ("Jose", "Juan Carlos", "Mark", "John Paul", "Michael", "Ronaldo", "Jayson",
                  "Rodel", "Jomar", "Ariel", "Noel", "Randy", "Christian", "Efren", "Danilo"),
            "F": ("Maria", "Angelica", "Kristine", "Rachelle", "Rowena", "Lea", "Joy", "Rhea",
                  "Princess", "Mary Grace", "Aileen", "Jennifer", "Analyn", "Marites",
                  "Girlie")}  # fmt: skip
PH_FAMILY = ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
             "Tomas", "Andrada", "Castillo", "Flores", "Ramos", "Castro", "Rivera", "Aquino",
             "Navarro", "Salazar", "Mercado", "Dela Cruz", "De Leon", "Pangilinan", "Macaraeg",
             "Dimaculangan", "Ibañez", "Manalo")  # fmt: skip
TH_GIVEN = {"M": (("Somsak", "สมศักดิ์"), ("Nattapong", "ณัฐพงษ์"), ("Chaiwat", "ชัยวัฒน์"),
                  ("Thanawat", "ธนวัฒน์"), ("Apichart", "อภิชาติ"), ("Surachai", "สุรชัย"),
                  ("Wirat", "วิรัตน์"), ("Boonchai", "บุญชัย"), ("Sakda", "ศักดา")),
            "F": (("Siriporn", "ศิริพร"), ("Suda", "สุดา"), ("Pimchanok", "พิมพ์ชนก"),
                  ("Supaporn", "สุภาพร"), ("Wanida", "วนิดา"), ("Kannika", "กรรณิการ์"),
                  ("Nong", "น้อง"), ("Ratana", "รัตนา"), ("Duangjai", "ดวงใจ"))}  # fmt: skip
TH_FAMILY = (("Saetang", "แซ่ตั้ง"), ("Wongsawat", "วงศ์สวัสดิ์"), ("Phromma", "พรหมมา"),
             ("Sukjai", "สุขใจ"), ("Intharak", "อินทรักษ์"), ("Chanthra", "จันทรา"),
             ("Srisawat", "ศรีสวัสดิ์"), ("Boonyarat", "บุญยรัตน์"), ("Thepsiri", "เทพศิริ"),
             ("Kongkaew", "ก้องแก้ว"), ("Jaidee", "ใจดี"), ("Rungruang", "รุ่งเรือง"))  # fmt: skip
BD_GIVEN = {"M": ("Mohammad", "Abdul", "Rahim", "Karim", "Rafiq", "Jahid", "Sumon", "Shakil",
                  "Mizanur", "Habib"),
            "F": ("Fatema", "Nusrat", "Shahana", "Ayesha", "Rokeya", "Nasrin",
                  "Taslima")}  # fmt: skip
BD_FAMILY = ("Hossain", "Rahman", "Islam", "Ahmed", "Akter", "Uddin", "Chowdhury", "Khan",
             "Miah", "Sarker")  # fmt: skip
MY_NAMES = {"M": ("Muhammad Firdaus bin Hassan", "Mohd Azlan bin Yusof", "Tan Chee Keong",
                  "Wong Kah Hoe", "Suresh a/l Muthu", "Amirul bin Razak", "Lee Jun Hao",
                  "Hafiz bin Abdullah", "Ravi a/l Krishnan", "Khairul bin Ismail"),
            "F": ("Siti Aishah binti Omar", "Tan Mei Ling", "Nur Izzati binti Zainal",
                  "Priya a/p Raman", "Chong Li Ying", "Farah binti Kamal",
                  "Lim Siew Mei")}  # fmt: skip
SG_NAMES = {"M": ("Tan Wei Ming", "Lim Jun Jie", "Muhammad Haziq", "Rajesh Kumar",
                  "Goh Zhi Hao", "Ong Kai Xiang", "Daniel Chua"),
            "F": ("Lim Hui Min", "Nur Aisyah", "Chen Xin Yi", "Kavitha Nair", "Ng Shu Fen",
                  "Rachel Teo")}  # fmt: skip
CA_GIVEN = {"M": ("Liam", "Noah", "William", "Mathieu", "Ryan", "Tyler", "Gabriel", "Samuel",
                  "Étienne", "Jean-François", "Connor", "Raj", "Omar", "Wei", "Lucas", "Félix"),
            "F": ("Emma", "Olivia", "Sophie", "Chloé", "Jessica", "Megan", "Élodie", "Chantal",
                  "Geneviève", "Aisha", "Hannah", "Mélanie", "Zoë", "Simran",
                  "Nathalie")}  # fmt: skip
CA_FAMILY = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Smith", "Brown", "Wilson",
             "MacDonald", "Taylor", "Campbell", "Anderson", "Leblanc", "Martin", "Singh",
             "Patel", "Nguyen", "Wong", "Bélanger", "Lévesque", "Fraser", "O'Brien", "Chen",
             "Pelletier", "Morin")  # fmt: skip


def random_name(
    rng: Chance, country: str, gender: str, used: set[str]
) -> tuple[str, str, str, str | None]:
    """(name as written at home, Latin family, Latin given names, Thai script name).

    Names are not repeated (`used` holds those given out), except Malaysian and
    Singaporean ones: their pools are too small for that.
    """
    while True:
        thai = None
        if country == "VN":
            family = rng.pick(VN_FAMILY)
            given = f"{rng.pick(VN_MIDDLE[gender])} {rng.pick(VN_GIVEN[gender])}"
            name = f"{family} {given}"
        elif country == "PH":
            family, given = rng.pick(PH_FAMILY), rng.pick(PH_GIVEN[gender])
            name = f"{given} {family}"
        elif country == "TH":
            (given, thai_given), (family, thai_family) = (
                rng.pick(TH_GIVEN[gender]),
                rng.pick(TH_FAMILY),
            )
            name, thai = f"{given} {family}", f"{thai_given} {thai_family}"
        elif country == "BD":
            family, given = rng.pick(BD_FAMILY), rng.pick(BD_GIVEN[gender])
            name = f"{given} {family}"
        elif country in ("MY", "SG"):
            name = rng.pick((MY_NAMES if country == "MY" else SG_NAMES)[gender])
            family, given = name.split(" ", 1)[0], name.split(" ", 1)[1]
        else:
            family, given = rng.pick(CA_FAMILY), rng.pick(CA_GIVEN[gender])
            name = f"{given} {family}"
        if name not in used or country in ("MY", "SG"):
            used.add(name)
            return name, ascii_upper(family), ascii_upper(given), thai
