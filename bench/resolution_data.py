"""Person records with known truth, for the entity-resolution benchmark.

A seeded generator of `PersonRecord`s as resolution reads them from the graph, for a
population of humans from Vietnam, Thailand, the Philippines, Bangladesh, Singapore
(Chinese-Singaporean names) and Canada, in shares of about 25/20/20/15/10/10 %.

Each human appears as 1 to 3 records. The first is the *clean* one (a KYC, border or
shelter record with everything known about the human); each further record gets one
variant type of `VARIANTS` and is rendered from the human with that kind of difference,
and always keeps evidence an analyst would link on: a shared phone, account, wallet or
document, or the same (or one-typo) birth date with the nationality. Two non-first
records of a human may share nothing with each other directly; they are linked through
the clean record.

Hard negatives are built in: many distinct humans with the most common names of their
culture (some born in the same year), household members sharing a phone (same family
name, another given name), records whose only name is one character or that have no
name, records without a birth date, and raw placeholder document numbers ("000000",
"N/A", "UNKNOWN" ...). Documents are keyed as ingest keys them (`passport:VN:C4958122`,
`nid:TH:…`), and some records carry a renewed passport: another number of the same
kind. Placeholders are deliberately left raw in `documents`: the resolver
(or the reader in front of it) must ignore them, and the benchmark checks that it does.
Fresh phone numbers are drawn at random, so a very few may repeat across humans, as
recycled numbers do.

`generate` returns a population with its truth; `iter_records` streams the same
distribution (the same records, for the same seed) for runs of a million records.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TypeVar

from normalise.base58 import b58check_encode
from resolution.records import PersonRecord

VARIANTS = ("exact", "name_variant", "transliteration", "typo", "swapped_order", "common_name")

# Between two non-first records of one human the pair takes the type of the record
# that is harder to link, in this order (last = hardest).
_PAIR_ORDER = ("exact", "common_name", "name_variant", "typo", "swapped_order", "transliteration")
_PAIR_RANK = {variant: rank for rank, variant in enumerate(_PAIR_ORDER)}
# Weights of the variant types of non-first records: common_name drawn less often, since
# every draw gives the human a top name and the collisions would swamp the population.
_VARIANT_CUM = list(accumulate((1, 1, 1, 1, 1, 0.6)))

_NATIONALITIES = ("VN", "TH", "PH", "BD", "SG", "CA")
_NATIONALITY_CUM = list(accumulate((25, 20, 20, 15, 10, 10)))
_FAMILY_FIRST = frozenset({"VN", "SG"})

# Shares of the population (humans) with special roles.
_HOUSEHOLD_SHARE = 0.03  # a household member of the human before: same family, shared phone
_COMMON_NAME_SHARE = 0.04  # humans with a most-common name besides those drawn for it
_SAME_YEAR_SHARE = 0.3  # common-name humans born the year another of that name was
_SPARSE_SHARE = 0.12  # of single-record humans: a record with no name or a 1-letter one
_PLACEHOLDER_SHARE = 0.03  # records carrying a placeholder document number
_JAN_FIRST_SHARE = 0.03  # birth dates registered as 1 January (unknown day)
_NO_BIRTH_DATE_SHARE = 0.03  # humans whose birth date no source knows

PLACEHOLDER_DOCUMENTS = ("000000", "N/A", "UNKNOWN", "0", "NONE", "XXXXXXXX", "123456789", "-")


_T = TypeVar("_T")


def _pick(rng: random.Random, seq: Sequence[_T]) -> _T:
    # random.choice costs several calls per draw; one random() is plenty here and makes
    # the million-record stream about a third faster.
    return seq[int(rng.random() * len(seq))]


def _below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high)."""
    return low + int(rng.random() * (high - low))


# --- name pools -------------------------------------------------------------------------
# Lists are in rough order of frequency; `_Pool` weighs them by a Zipf-like law, so a
# few names are common and most are rare, as in real populations.


class _Pool:
    """A weighted draw from names (bisect over cumulative weights: fast)."""

    __slots__ = ("cum", "items", "total")

    def __init__(
        self, items: Sequence[str], weights: Sequence[float] | None = None, skew: float = 0.7
    ) -> None:
        if weights is None:
            weights = [1.0 / (rank + 1) ** skew for rank in range(len(items))]
        if len(weights) != len(items):
            raise ValueError(f"{len(items)} names but {len(weights)} weights")
        self.items = tuple(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect(self.cum, rng.random() * self.total)]


# Latin spelling -> script spelling (Thai, Bengali), and per culture the other
# romanisations of a spelling.
_SCRIPT: dict[str, str] = {}
_ALTS: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)


def _register(culture: str, entries: str) -> list[str]:
    """Parse `Latin|script|alt,alt` lines; return the Latin names and fill the tables."""
    names = []
    for line in entries.strip().splitlines():
        latin, script, alts = [*line.strip().split("|"), "", ""][:3]
        group = [latin, *(a for a in alts.split(",") if a)]
        for spelling in group:
            if script:
                _SCRIPT[spelling] = script
            others = tuple(other for other in group if other != spelling)
            if others:
                _ALTS[culture][spelling] = others
        names.append(latin)
    return names


def _words(text: str) -> list[str]:
    """Names written as one space-separated string (easier to read and edit than a list)."""
    return text.split()


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """Parse `name=other,other; name=other` (names may hold spaces)."""
    out = {}
    for entry in text.split(";"):
        if entry.strip():
            key, values = entry.split("=")
            out[" ".join(key.split())] = tuple(" ".join(v.split()) for v in values.split(","))
    return out


# Vietnamese: Nguyễn alone is about 38 % of the population; Trần, Lê, Phạm next. The pool
# weighs Nguyễn a little lower because most of the top names (below) add more of them.
_VN_FAMILY = _Pool(
    _words(
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn "
        "Lâm Mai Trịnh Trương Hà Cao Lương Tạ Lưu Chu Quách Tôn Thái Kiều Đàm La Triệu Phùng "
        "Vương Từ Châu Tăng Mạc Thân Diệp Giang Nghiêm Lại Hứa Bạch Tô Quan Ông Ninh Lục"
    ),
    [29, 11, 9.5, 7.1, 2.6, 2.5, 4.5, 2.4, 1.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, *[0.3] * 37],
)
_VN_MIDDLE_M = _Pool(
    _words(
        "Văn Đức Minh Quang Hữu Công Thành Xuân Ngọc Anh Tuấn Đình Thanh Quốc Hoàng Trọng "
        "Gia Bảo Duy Mạnh Tiến"
    ),
    [40, 10, 8, 6, 6, 5, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1],
)
_VN_MIDDLE_F = _Pool(
    _words(
        "Ngọc Thu Thanh Hồng Kim Mỹ Bích Phương Thùy Diệu Hoài Khánh Minh Xuân Hải Bảo "
        "Quỳnh Tuyết Lan Ánh"
    ),
    skew=0.6,
)
_VN_GIVEN_M = _Pool(
    _words(
        "Hùng Nam Anh Dũng Tuấn Minh Hải Long Hoàng Thắng Sơn Quang Huy Đức Cường Trung "
        "Bình Tùng Phong Hiếu Khánh Thành Việt Vinh Hưng Đạt Duy Quân Tâm Tài Lâm Phúc Khoa "
        "Kiên Lộc Mạnh Nghĩa Nhân Phát Phước Quý Tân Thiện Thịnh Toàn Trí Tú Bảo Khang Lợi "
        "Hậu Hiển Kiệt Luân Nhật Tín Trọng Tiến Thông Chiến Định Hiệp Giang Đông Dương Hòa"
    )
)
_VN_GIVEN_F = _Pool(
    _words(
        "Hương Lan Mai Hoa Hà Hằng Thủy Linh Trang Nga Hạnh Thảo Nhung Phương Huyền Yến "
        "Ngọc Anh Dung Loan Hiền Hồng Huệ Hường Liên Ly My Ngân Nhàn Nhi Oanh Phượng Quyên "
        "Quỳnh Tâm Thắm Thanh Thơ Thu Thư Thúy Tiên Trâm Trinh Tuyết Uyên Vân Vy Xuân Ánh "
        "Châu Chi Diệp Duyên Giang Khánh Lệ Mơ Sương Thoa Trà Hoài"
    )
)

# Thai: given and family names with their Thai spelling (for part of them) and the other
# romanisations in use.
_TH_GIVEN_M_SCRIPT = _register(
    "TH",
    """
    Somchai|สมชาย|Somchay
    Wichai|วิชัย|Vichai,Wichay
    Somsak|สมศักดิ์|Somsack
    Anan|อนันต์|Anant
    Prasert|ประเสริฐ|Prasoet,Prasoed
    Sompong|สมพงษ์|Sompongse
    Chaiwat|ชัยวัฒน์|Chaiwath,Chaiwatt
    Surachai|สุรชัย|Surachay
    Thanakorn|ธนากร|Tanakorn,Thanakon
    Nattapon|ณัฐพล|Natthaphon,Nattaphol
    Kittipong|กิตติพงษ์|Kittiphong
    Weera|วีระ|Veera,Wira
    Boonchai|บุญชัย|Bunchai
    Suthep|สุเทพ|Sutep
    Apichat|อภิชาติ|Aphichat
    Kriangkrai|เกรียงไกร|Kriengkrai
    Teerapong|ธีรพงศ์|Thiraphong,Theerapong
    Pongsakorn|พงศกร|Phongsakon
    Supachai|ศุภชัย|Suphachai
    Worawut|วรวุฒิ|Vorawut,Worawoot
    Sombat|สมบัติ|Sombut
    Preecha|ปรีชา|Pricha
    Sommai|สมหมาย|Sommay
    Yuttana|ยุทธนา|Yutthana
    Narong|ณรงค์|
    Somkiat|สมเกียรติ|Somkiet
    Adisak|อดิศักดิ์|Adisack
    Thawatchai|ธวัชชัย|Tawatchai
    Chatchai|ฉัตรชัย|Chatchay
    Anucha|อนุชา|Anuchar
    """,
)
_TH_GIVEN_F_SCRIPT = _register(
    "TH",
    """
    Malee|มาลี|Mali
    Somsri|สมศรี|Somsee,Somsi
    Kanchana|กาญจนา|Karnchana,Kanjana
    Siriporn|ศิริพร|Siriphon,Siriphorn
    Rattana|รัตนา|Ratana
    Wandee|วันดี|Wandi
    Suda|สุดา|
    Napa|นภา|Napha
    Pimchanok|พิมพ์ชนก|Phimchanok
    Arunee|อรุณี|Aruni
    Janpen|จันทร์เพ็ญ|Chanphen,Junpen
    Sunisa|สุนิสา|
    Piyanuch|ปิยะนุช|Piyanut
    Wilai|วิไล|Vilai
    Nongluck|นงลักษณ์|Nongluk,Nonglak
    Lamduan|ลำดวน|Lumduan
    Busaba|บุษบา|Butsaba,Bussaba
    Duangjai|ดวงใจ|Duangchai
    Chanida|ชนิดา|
    Anchalee|อัญชลี|Anchali,Unchalee
    Pranee|ปราณี|Prani
    Supaporn|สุภาพร|Suphaphon,Suphaporn
    Tippawan|ทิพวรรณ|Thipphawan,Thippawan
    Pensri|เพ็ญศรี|Phensri
    Ampai|อำไพ|Amphai
    Jintana|จินตนา|Chintana
    Kannika|กรรณิการ์|Kannikar
    Orathai|อรทัย|Orathay
    Sukanya|สุกัญญา|Sukunya
    Yupin|ยุพิน|Yuphin
    """,
)
_TH_FAMILY_SCRIPT = _register(
    "TH",
    """
    Srisuk|ศรีสุข|Sisuk
    Thongdee|ทองดี|Thongdi,Tongdee
    Boonmee|บุญมี|Bunmi,Boonmi
    Jaidee|ใจดี|Chaidi,Jaidi
    Saengthong|แสงทอง|Sangthong
    Kaewmanee|แก้วมณี|Kaeomani,Kaewmani
    Suksawat|สุขสวัสดิ์|Suksawad,Suksawasdi
    Sriwong|ศรีวงศ์|Siwong
    Wongsawat|วงศ์สวัสดิ์|Vongsawat
    Chaiprasert|ชัยประเสริฐ|Chaiprasoet
    Thongkham|ทองคำ|Tongkham,Thongkam
    Boonruang|บุญเรือง|Bunrueang
    Maneewong|มณีวงศ์|Maniwong
    Chankaew|จันทร์แก้ว|Jankaew,Chankaeo
    Petcharat|เพชรรัตน์|Phetcharat
    Inkaew|อินทร์แก้ว|Inkaeo
    Somboon|สมบูรณ์|Sombun
    Panyadee|ปัญญาดี|Panyadi
    Kongsawat|คงสวัสดิ์|Khongsawat
    Srithong|ศรีทอง|Sithong
    Kaewprasert|แก้วประเสริฐ|Kaeoprasoet
    Wongyai|วงศ์ใหญ่|Vongyai
    Ruangsri|เรืองศรี|Rueangsi
    Naksuk|นาคสุข|Nagsuk
    Thongma|ทองมา|Tongma
    Saithong|สายทอง|Saitong
    Sae-Tang|แซ่ตั้ง|Saetang,Sae Tang
    Sae-Lim|แซ่ลิ้ม|Saelim,Sae Lim
    Rattanakorn|รัตนากร|Ratanakorn
    Wongsuwan|วงศ์สุวรรณ|Vongsuwan
    Chaisiri|ชัยศิริ|
    """,
)
_TH_GIVEN_M = _Pool(
    _TH_GIVEN_M_SCRIPT
    + _words(
        "Banchong Ekachai Jirayu Kamol Manop Nikom Pairoj Sutin Tawee Udom Wanchai Sakda "
        "Chalerm Prayoon Sakchai Thongchai Wirat Amnuay Suriya Kasem"
    ),
    skew=0.5,
)
_TH_GIVEN_F = _Pool(
    _TH_GIVEN_F_SCRIPT
    + _words(
        "Achara Chalida Dararat Lamai Nantana Pornthip Ratchanee Thitima Urai Waraporn "
        "Kesinee Nittaya Pattaraporn Rungnapa Saowanee Wanida Sumalee Ratree Boonyuen"
    ),
    skew=0.5,
)
_TH_FAMILY = _Pool(
    _TH_FAMILY_SCRIPT
    + _words(
        "Charoensuk Kongkaew Limthong Srisawat Phromsuwan Wattanasiri Boonyarat Pattanapong "
        "Siriwat Thepsiri Chaiyasit Intharasuk Khamsuk Phetsuwan"
    ),
    skew=0.4,
)
# Thai surnames are nearly unique to a family (the law keeps them so), so most are built
# from the usual parts: a few hundred more, Latin only, to keep full-name collisions rare.
_TH_FAMILY_HEAD = _words(
    "Sri Kaew Thong Boon Chai Wong Suk Saeng Rattana Phrom Chan In Siri Wattana Charoen "
    "Kong Phet Mani"
)
_TH_FAMILY_TAIL = _words(
    "suk sawat prasert wong thong siri rat pong dee mee kaew sri chai wat ngam yos kul "
    "phan rak porn"
)
_TH_BUILT_SURNAME_SHARE = 0.6
# Thai nicknames are unrelated to the given name and used everywhere informally.
_TH_NICK_M = _words("Lek Daeng Boy Golf Ton Bank Beer Chai Ek Nueng Oat Big Man Pong")
_TH_NICK_F = _words("Nok Noi Som Ple Bee Aom Nan Pim Joy Ning Fon Kwan Mai Nid Lek")

# Filipino: compound given names, a middle name (the mother's maiden name) and nicknames.
_PH_NICKS = _table(
    """
    Ricardo=Rico,Cardo; Ramon=Mon,Monching; Jose=Pepe,Joey; Francisco=Kiko,Paco,Isko;
    Roberto=Bobby,Obet; Antonio=Tony,Tonyo; Eduardo=Eddie,Edong; Rodrigo=Rody,Digong;
    Ferdinand=Ferdie,Andy; Emmanuel=Manny,Emman; Reynaldo=Rey,Naldo; Rolando=Lando,Roland;
    Ernesto=Ernie,Erning; Alfredo=Fred,Pido; Danilo=Danny,Dan; Rogelio=Roger,Ely;
    Jesus=Jess,Jessie; Enrique=Ricky,Iking; Gregorio=Greg,Oyo; Manuel=Manny,Maning;
    Renato=Rene,Atoy; Miguel=Migs,Miggy; Gabriel=Gab,Gabby; Michael=Mike,Mikee;
    Christian=Chris,Xian; Jayson=Jay; Carlos=Caloy,Carlo; Juan=Jhun,Juanito; Angelo=Gelo;
    Paolo=Pao; Raymond=Ray,Mon; Juan Carlos=JC; John Paul=JP; Mark Anthony=Mac,Macoy;
    John Mark=JM; Jose Mari=Joma; John Michael=JM,Mike;
    Josefina=Pining,Josie; Rosario=Charo,Rose; Concepcion=Connie,Ching; Consuelo=Chelo;
    Teresita=Tess,Tessie; Leonora=Nora; Rosalinda=Linda,Rosa; Marilou=Malou;
    Jennifer=Jen,Jenny; Kristine=Tin,Tintin; Michelle=Mich,Chelle; Angelica=Angel,Gelai;
    Elizabeth=Beth,Liza; Margarita=Marge,Maggie; Lourdes=Lulu,Lou; Carmelita=Lita,Mel;
    Rowena=Weng; Maricel=Cel; Analyn=Ana; Jocelyn=Joy,Celyn; Marites=Tess;
    Evangeline=Vangie; Cristina=Tina; Rosemarie=Rose; Charmaine=Cha; Princess=Cess;
    Maria Cristina=Tina,Ina; Mary Grace=Grace,Gracie; Mary Joy=Joy; Maria Luisa=Malou,Luisa;
    Anna Marie=Anna; Mary Ann=Ann,Mayan; Maria Elena=Lena,Malen; Kristine Joy=Tin
    """
)
_PH_GIVEN_M = _Pool(
    _words(
        "Jose Juan Mark Michael John Ricardo Ramon Roberto Antonio Eduardo Reynaldo Rolando "
        "Francisco Rodrigo Ferdinand Emmanuel Ernesto Alfredo Danilo Rogelio Jesus Enrique "
        "Gregorio Christian Jerome Joel Arnel Rommel Noel Jayson Jomar Renato Manuel Carlos "
        "Miguel Gabriel Angelo Paolo Niño Rey Efren Dante Marvin Ariel Raymond Romeo "
        "Benjamin Virgilio Wilfredo Edgardo Leonardo Alvin Randy Ronald"
    ),
    skew=0.6,
)
_PH_COMPOUND_M = _Pool(
    ("Mark Anthony", "John Paul", "Juan Carlos", "John Mark", "Jose Mari", "John Michael")
)
_PH_GIVEN_F = _Pool(
    _words(
        "Maria Jennifer Rosario Josefina Teresita Cristina Michelle Kristine Angelica "
        "Elizabeth Marilou Concepcion Consuelo Leonora Rosalinda Margarita Lourdes Carmelita "
        "Rowena Maricel Analyn Jocelyn Marites Lorna Gemma Evangeline Divina Rosemarie "
        "Mylene Charmaine Princess Joy Grace Lovely Janine Rhea Lea Aileen Glenda Remedios "
        "Luzviminda Editha Nenita Erlinda Corazon Milagros Shiela Jhoanna Rachelle"
    ),
    skew=0.6,
)
_PH_COMPOUND_F = _Pool(
    (
        "Maria Cristina",
        "Mary Grace",
        "Mary Joy",
        "Maria Luisa",
        "Anna Marie",
        "Mary Ann",
        "Maria Elena",
        "Kristine Joy",
        "Rose Ann",
    )
)
_PH_FAMILY = _Pool(
    [
        *_words(
            "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo "
            "Flores Villanueva Ramos Castro Rivera Aquino Navarro Salazar Mercado Domingo "
            "Gonzales Lopez Fernandez Gutierrez Pascual Soriano Aguilar Manalo Valdez Marquez "
            "Dizon Lim Tan Sy Panganiban Macaraeg Dimaculangan Magbanua Buenaventura "
            "Evangelista Tolentino Perez Rosales Sison Manalastas Cabrera Lacson Estrada "
            "Pangilinan Lacsamana Santiago Peña Muñoz Ibañez Nuñez Castañeda Ordoñez Dueñas "
            "Zuñiga"
        ),
        *("Dela Cruz", "De Leon", "Del Rosario", "De Guzman", "De Castro", "Delos Santos"),
    ],
    [9, 8, 7, 6, 4, 4, 4, 3.5, 3, 3, *[1.5] * 50, 3, 2, 2, 2, 1.5, 1.5],
)
# Spellings met in Philippine records: Spanish marks dropped or added, particles joined.
_ALTS["PH"].update(
    _table(
        """
        Dela Cruz=De la Cruz,Delacruz,De La Cruz; De Leon=Deleon,De León;
        Del Rosario=Delrosario; De Guzman=Deguzman,De Guzmán; De Castro=Decastro;
        Delos Santos=De los Santos,Delossantos; Gonzales=Gonzalez; Peña=Pena; Muñoz=Munoz;
        Ibañez=Ibanez,Ibáñez; Nuñez=Nunez; Castañeda=Castaneda; Ordoñez=Ordonez;
        Dueñas=Duenas; Zuñiga=Zuniga; Niño=Nino; Maria=Ma.; Jose=José; Jesus=Jesús;
        Ramon=Ramón; Tomas=Tomás; Cristina=Kristina,Christina; Jayson=Jason,Jaysone;
        Marites=Maritess; Rosemarie=Rose Marie; Jocelyn=Joselyn; Jennifer=Jenifer;
        Analyn=Ana Lyn,Annalyn; Aileen=Eileen; Concepcion=Concepción; Shiela=Sheila;
        Jhoanna=Joanna; Lopez=López; Perez=Pérez; Fernandez=Fernández;
        Gutierrez=Gutiérrez; Marquez=Márquez
        """
    )
)

# Bangladeshi: an optional "Mohammad" (in its several spellings), given names, and a
# family or title name; women's names often end in Akter, Begum or Khatun.
_register("BD", "Mohammad|মোহাম্মদ|Mohammed,Muhammad,Md.,Md,Mohd.")
_SCRIPT["Md."] = _SCRIPT["Md"] = "মোঃ"
_MOHAMMAD = frozenset(("Mohammad", *_ALTS["BD"]["Mohammad"]))
_register("BD", "Abdul|আব্দুল|Abdool")
_BD_GIVEN_M_SCRIPT = _register(
    "BD",
    """
    Rahim|রহিম|Rohim
    Karim|করিম|Korim
    Rafiqul|রফিকুল|Rafikul
    Shafiqul|শফিকুল|Shafikul,Safiqul
    Aminul|আমিনুল|Aminool
    Zahid|জাহিদ|Jahid
    Kamal|কামাল|Kamaal
    Jamal|জামাল|
    Rashed|রাশেদ|Rashid
    Hasan|হাসান|Hassan
    Mahmud|মাহমুদ|Mahmood
    Mostafa|মোস্তফা|Mustafa,Mostofa
    Mizanur|মিজানুর|Mizanoor
    Habibur|হাবিবুর|Habibor
    Anwar|আনোয়ার|Anowar
    Sumon|সুমন|Suman
    Kabir|কবির|Kobir
    """,
)
_BD_GIVEN_F_SCRIPT = _register(
    "BD",
    """
    Nasrin|নাসরিন|Nasreen
    Fatema|ফাতেমা|Fatima
    Salma|সালমা|
    Rokeya|রোকেয়া|Rokeia,Rokaya
    Sharmin|শারমিন|Sharmeen
    Shahana|শাহানা|Sahana
    Yasmin|ইয়াসমিন|Yasmeen,Jasmin
    Rumana|রুমানা|
    Tania|তানিয়া|Taniya
    Lipi|লিপি|Lipy
    Parvin|পারভীন|Parveen,Perveen
    """,
)
_BD_FAMILY_SCRIPT = _register(
    "BD",
    """
    Hossain|হোসেন|Hossen,Hussain,Hosen
    Islam|ইসলাম|
    Rahman|রহমান|Rahaman,Rohman
    Uddin|উদ্দিন|Uddeen,Udin
    Ahmed|আহমেদ|Ahmad,Ahammed
    Ali|আলী|Aly
    Miah|মিয়া|Mia,Mian
    Chowdhury|চৌধুরী|Choudhury,Chowdhuri,Chaudhury
    Khan|খান|
    Alam|আলম|
    Sarker|সরকার|Sarkar
    Das|দাস|
    Roy|রায়|Ray
    Talukder|তালুকদার|Talukdar
    Bhuiyan|ভূঁইয়া|Bhuiya,Bhuyan
    Haque|হক|Hoque,Huq
    """,
)
_BD_FAMILY_F_SCRIPT = _register(
    "BD",
    """
    Akter|আক্তার|Akhter,Aktar,Akhtar
    Begum|বেগম|Begom
    Khatun|খাতুন|Khatoon
    Sultana|সুলতানা|
    Nahar|নাহার|
    """,
)
_BD_GIVEN_M = _Pool(
    _BD_GIVEN_M_SCRIPT
    + _words(
        "Mamun Shahidul Nazrul Jahangir Monir Faruk Shahin Alamgir Rubel Sohel Masud Mahbub "
        "Saiful Tariqul Moniruzzaman Nurul Abul Delwar Ripon Liton Babul Rajib Sajib Imran "
        "Arif Tanvir Shakil Harun Jasim Selim Anisur Motiur"
    ),
    skew=0.5,
)
_BD_GIVEN_F = _Pool(
    _BD_GIVEN_F_SCRIPT
    + _words(
        "Rina Shirin Nazma Jesmin Rehana Shilpi Morium Ayesha Halima Kohinoor Shathi Mousumi "
        "Farzana Sabina Nasima Rabeya Taslima Hasina Jannatul Sumaiya Sadia Nusrat Afroza "
        "Ruma Popy Shapla Kulsum Mahmuda"
    ),
    skew=0.5,
)
_BD_FAMILY = _Pool(
    _BD_FAMILY_SCRIPT
    + _words(
        "Sheikh Mollah Howlader Sikder Mondal Biswas Saha Paul Barua Siddique Rashid Munshi "
        "Pramanik Ghosh Dey Majumder Faruque Akanda Bepari Matubbar Gazi Sardar Khandaker"
    ),
    skew=0.8,
)
_BD_FAMILY_F = _Pool([*_BD_FAMILY_F_SCRIPT, "Jahan", "Parvin", "Yeasmin"], skew=1.0)
_BD_FEMALE_ONLY = frozenset(_BD_FAMILY_F.items)
# Daak naam: the home name, used by family and friends (and in seized phones' contacts).
_BD_NICK_M = _words("Rana Babu Shuvo Mithu Tuhin Liton Mukul Rony Bappy Raju")
_BD_NICK_F = _words("Mou Shumi Mim Ruma Poly Munni Beauty Tumpa Lucky Shimu")

# Chinese-Singaporean: family name first, a two-syllable given name, often an English
# name too; dialect surnames with their Mandarin (pinyin) romanisation.
_SG_FAMILY = _Pool(
    _words(
        "Tan Lim Lee Ng Ong Wong Goh Chua Chan Koh Teo Ang Yeo Tay Ho Low Toh Sim Chong "
        "Chia Seah Foo Leong Lau Yap Heng Quek Soh Kwek Pang Neo Tang Poh Khoo Liew Chew Png "
        "Chin Loh Phua Oh Kang Wee Choo Sng Leow Tham Lai Cheong Yong"
    ),
    [
        *(11, 7, 6.5, 4.5, 4, 3.6, 3.3, 3, 3, 3, 2.6, 2.3, 2, 2, 2, 1.8, 1.6, 1.5, 1.5, 1.4),
        *(1, 1, 1, 1, 1, 1, 1, 0.9, 0.6, 0.6, 0.8, 0.7, 0.5, 0.7, 0.6, 0.7, 0.4, 0.6, 0.6, 0.4),
        *(0.4, 0.4, 0.5, 0.4, 0.3, 0.3, 0.3, 0.5, 0.5, 0.4),
    ],
)
_SG_PINYIN = {
    dialect: pinyin[0]
    for dialect, pinyin in _table(
        """
        Tan=Chen; Lim=Lin; Lee=Li; Ng=Huang; Ong=Wang; Wong=Huang; Goh=Wu; Chua=Cai; Koh=Xu;
        Teo=Zhang; Ang=Hong; Yeo=Yang; Tay=Zheng; Ho=He; Low=Liu; Sim=Shen; Chia=Xie;
        Seah=Xie; Leong=Liang; Lau=Liu; Yap=Ye; Quek=Guo; Soh=Su; Kwek=Guo; Neo=Liang;
        Khoo=Qiu; Liew=Liu; Chew=Zhou; Chin=Chen; Loh=Luo; Phua=Pan; Kang=Jiang; Wee=Huang;
        Choo=Zhu; Cheong=Zhang; Yong=Yang
        """
    ).items()
}
_SG_SYLLABLE_M = _Pool(
    _words(
        "Wei Ming Jun Kai Hao Zhi Jie Kok Beng Boon Chee Keong Seng Hock Huat Kiat Peng Yong "
        "Hong Guan Cheng Meng Swee Teck Soon Chin Wen Xuan Yu Rui Zhen Han Yao Tian Kiang "
        "Leong Chong Siang Keat Heng Liang Sheng Jian Long Hui"
    ),
    skew=0.5,
)
_SG_SYLLABLE_F = _Pool(
    _words(
        "Hui Ling Mei Xin Yi Jia Li Siew Leng Hwee Lay Kim Ting Shan Qi Yan Lian Poh Geok "
        "Bee Choo Sok Pei Wen Xuan Yu Min Fang Hua Lin Yun Ying Jing Zi Shu Qing Ai Xiu"
    ),
    skew=0.5,
)
_SG_ENGLISH_M = _words(
    "Jason Kelvin Alvin Eugene Desmond Melvin Benjamin Daniel Ryan Marcus Terence Kenneth "
    "Raymond Dennis Gary Jeremy Edwin Shawn"
)
_SG_ENGLISH_F = _words(
    "Jasmine Michelle Rachel Grace Cheryl Vivian Joanne Serene Irene Elaine Fiona Sharon "
    "Angeline Germaine Audrey Felicia"
)

# Canadian: English, French (accents, hyphenated given names), Punjabi and Chinese names.
_CA_GIVEN_M = _Pool(
    _words(
        "Michael David James John Robert Daniel Matthew Christopher Ryan Andrew Kevin Jason "
        "Mark Steven Brian Jonathan Joshua Tyler Justin Eric Patrick Thomas Richard William "
        "Joseph Benjamin Nicholas Alexander Samuel Brandon Jean-François Jean-Philippe "
        "François Stéphane Sébastien Mathieu Frédéric Luc Éric Pierre Marc-André Guillaume "
        "Jérôme Gurpreet Harpreet Jaspreet Rajinder Amandeep Arjun Liam Noah Ethan Logan"
    ),
    skew=0.6,
)
_CA_GIVEN_F = _Pool(
    _words(
        "Jennifer Sarah Jessica Emily Ashley Amanda Stephanie Melissa Nicole Michelle "
        "Elizabeth Katherine Rebecca Laura Megan Rachel Lauren Heather Amy Emma Olivia Hannah "
        "Chloé Geneviève Mélanie Isabelle Marie-Ève Julie Nathalie Catherine Émilie Véronique "
        "Karine Annie Josée Marie-Claude Gurpreet Harpreet Manpreet Priya Simran Navdeep"
    ),
    skew=0.6,
)
_CA_FAMILY = _Pool(
    _words(
        "Smith Brown Tremblay Martin Roy Wilson MacDonald Gagnon Johnson Taylor Côté Campbell "
        "Anderson Leblanc Lee Jones White Williams Miller Thompson Gauthier Young Morin "
        "Bouchard Scott Stewart Bélanger Reid Pelletier Moore Lavoie King Robinson Lévesque "
        "O'Brien McDonald MacLeod Fortin Gagné Ouellet Singh Patel Wong Li Chen Nguyen "
        "Gill Sandhu Dhillon Thériault St-Pierre Bergeron Poirier Girard Clark Walker Ross "
        "Murphy Fraser Hébert O'Neill Grewal Sidhu Leung Chan"
    ),
    skew=0.6,
)
# Middle names are drawn apart: a few classic ones carry most of them.
_CA_MIDDLE_M = _words("James John Michael William Robert David Joseph Thomas Alexander Paul")
_CA_MIDDLE_F = _words("Marie Anne Elizabeth Lynn Louise Grace Rose Jane Nicole Michelle")
_CA_NICKS = _table(
    """
    Michael=Mike,Mikey; David=Dave; James=Jim,Jamie; John=Johnny,Jack; Robert=Bob,Rob,Bobby;
    Daniel=Dan,Danny; Matthew=Matt; Christopher=Chris; Andrew=Andy,Drew; Steven=Steve;
    Jonathan=Jon; Joshua=Josh; Patrick=Pat; Thomas=Tom,Tommy; Richard=Rick,Rich;
    William=Bill,Will; Joseph=Joe; Benjamin=Ben; Nicholas=Nick; Alexander=Alex; Samuel=Sam;
    Jean-François=JF; Jean-Philippe=JP; Sébastien=Seb; Frédéric=Fred; Gurpreet=Gary,Guri;
    Harpreet=Harry,Harp; Jaspreet=Jas; Amandeep=Aman; Jennifer=Jen,Jenny; Jessica=Jess;
    Elizabeth=Liz,Beth; Katherine=Kate,Katie; Rebecca=Becky; Stephanie=Steph; Amanda=Mandy;
    Michelle=Shelly; Nicole=Nikki; Melissa=Mel; Catherine=Cathy; Nathalie=Nat; Olivia=Liv;
    Manpreet=Mani; Simran=Sim
    """
)
# Respellings of Canadian names besides dropped accents: saints, O', hyphens.
_CA_ALTS_REPLACE = (("St-", "Saint-"), ("St-", "St "), ("O'", "O"), ("O'", "O "), ("-", " "))

# The most common full names of each culture: many distinct humans will share them.
# "family|middles|given", per culture and gender.
_TOP = {
    ("VN", "M"): "Nguyễn|Văn|Hùng; Nguyễn|Văn|Nam; Nguyễn|Văn|Anh; Nguyễn|Văn|Dũng; "
    "Nguyễn|Văn|Tuấn; Trần|Văn|Hùng; Nguyễn|Đức|Anh; Nguyễn|Văn|Long",
    ("VN", "F"): "Nguyễn|Thị|Hương; Nguyễn|Thị|Lan; Nguyễn|Thị|Mai; Nguyễn|Thị|Hoa; "
    "Nguyễn|Thị Thu|Hà; Trần|Thị|Lan; Nguyễn|Thị|Hằng; Nguyễn|Thị Hồng|Nhung",
    ("TH", "M"): "Srisuk||Somchai; Thongdee||Somchai; Boonmee||Somsak; Jaidee||Somchai; "
    "Srisuk||Prasert; Saengthong||Wichai",
    ("TH", "F"): "Srisuk||Malee; Boonmee||Somsri; Thongdee||Kanchana; Jaidee||Siriporn; "
    "Srisuk||Rattana; Boonmee||Wandee",
    ("PH", "M"): "Dela Cruz||Juan; Santos||Jose; Reyes||Mark Anthony; Cruz||John Paul; "
    "Santos||Ricardo; Reyes||Jose; Garcia||Michael",
    ("PH", "F"): "Santos||Maria; Reyes||Maria Cristina; Santos||Mary Grace; Dela Cruz||Maria; "
    "Cruz||Jennifer; Santos||Rosario",
    ("BD", "M"): "Hossain||Mohammad; Islam||Md. Rafiqul; Ali||Mohammad; Karim||Abdul; "
    "Islam||Md. Shafiqul; Hossain||Md. Kamal",
    ("BD", "F"): "Akter||Nasrin; Begum||Fatema; Akter||Salma; Khatun||Rokeya; "
    "Begum||Shahana; Akter||Yasmin",
    ("SG", "M"): "Tan||Wei Ming; Lim||Wei Jie; Tan||Kok Leong; Lee||Wei Jie; Ng||Wei Ming",
    ("SG", "F"): "Tan||Mei Ling; Lim||Hui Min; Tan||Hui Ling; Lee||Mei Ling; Ng||Hui Min",
    ("CA", "M"): "Smith||Michael; Brown||David; Singh||Harpreet; Singh||Gurpreet; "
    "Gagnon||Jean-François; Côté||Mathieu; Smith||John",
    ("CA", "F"): "Smith||Jennifer; Tremblay||Marie-Ève; Martin||Sarah; Kaur||Harpreet; "
    "Côté||Mélanie; Brown||Jessica",
}


# --- names --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Name:
    """A human's name in parts; renderings come from these."""

    culture: str
    family: str
    middles: tuple[str, ...]
    given: tuple[str, ...]
    english: str | None = None  # Singaporean English name
    nickname: str | None = None

    def tokens(self) -> list[str]:
        if self.culture in _FAMILY_FIRST:
            return [self.family, *self.middles, *self.given]
        return [*self.given, *self.middles, self.family]

    def clean(self) -> str:
        return " ".join(self.tokens())


_MARKS: dict[str, str] = {}


def _strip_marks(text: str) -> str:
    """Text without diacritics (Đ -> D too), as passports and old systems write names."""
    out = _MARKS.get(text)
    if out is None:
        decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
        out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        _MARKS[text] = out
    return out


def _nicknames(name: _Name) -> tuple[str, ...]:
    if name.nickname:
        return (name.nickname,)
    key = " ".join(name.given)
    table = _PH_NICKS if name.culture == "PH" else _CA_NICKS if name.culture == "CA" else {}
    return table.get(key, ())


def _exact_options(name: _Name) -> list[str]:
    clean = name.clean()
    # The same name as other systems store it: case and spacing differ, letters do not.
    return [clean, clean, clean.upper(), "  ".join(name.tokens()), f" {clean} ", clean.title()]


def _name_variant_options(name: _Name) -> list[str]:
    family, middles, given, c = name.family, name.middles, name.given, name.culture
    out: list[str] = []
    nicks = _nicknames(name)
    if c == "VN":
        for i in range(len(middles)):  # a middle name dropped
            out.append(" ".join([family, *middles[:i], *middles[i + 1 :], *given]))
        if len(middles) > 1:
            out.append(" ".join([family, *given]))
    elif c == "SG":
        if name.english:
            out += [f"{name.english} {family}", f"{name.english} {family} {' '.join(given)}"]
        out.append(f"{'. '.join(s[0] for s in given)}. {family}")
    else:
        initial = f"{family[0]}."
        out += [f"{n} {family}" for n in nicks] + [f"{n} {initial}" for n in nicks]
        if middles:
            out.append(" ".join([*given, family]))
            out.append(" ".join([*given, *(f"{m[0]}." for m in middles), family]))
        if len(given) > 1:
            if given[0] in _MOHAMMAD:
                out.append(" ".join([*given[1:], family]))  # "Mohammad" left out
            out += [f"{g} {family}" for g in given if g not in _MOHAMMAD]
            out.append(" ".join([*(f"{g[0]}." for g in given[:-1]), given[-1], family]))
        else:
            out.append(f"{given[0]} {initial}")
            out.append(f"{given[0][0]}. {family}")
    clean = name.clean().casefold()
    return [o for o in out if o.casefold() != clean]


def _transliteration_options(name: _Name) -> list[str]:
    tokens, c = name.tokens(), name.culture
    out: list[str] = []
    if c in ("VN", "CA", "PH"):
        plain = _strip_marks(name.clean())
        if plain != name.clean():
            out += [plain, plain.upper()] if c == "VN" else [plain]
    if c in ("TH", "BD") and all(t in _SCRIPT for t in tokens):
        script = " ".join(_SCRIPT[t] for t in tokens)
        out += [script, script]  # the script rendering is the usual one when it exists
    alts = _ALTS.get(c, {})
    for i, token in enumerate(tokens):
        for part_i, part in enumerate(parts := token.split(" ")):
            for alt in alts.get(part, ()):  # one given syllable or name respelled
                new = " ".join([*parts[:part_i], alt, *parts[part_i + 1 :]])
                out.append(" ".join([*tokens[:i], new, *tokens[i + 1 :]]))
        for alt in alts.get(token, ()) if " " in token else ():
            out.append(" ".join([*tokens[:i], alt, *tokens[i + 1 :]]))
    if c == "SG":
        given = name.given
        out += [
            f"{name.family} {''.join(given)}",
            f"{name.family} {'-'.join(given)}",
            f"{name.family} {given[0]}{''.join(g.lower() for g in given[1:])}",
        ]
        if name.family in _SG_PINYIN:
            out.append(f"{_SG_PINYIN[name.family]} {' '.join(given)}")
    if c == "CA":
        clean = name.clean()
        for old, new in _CA_ALTS_REPLACE:
            if old in clean:
                out.append(clean.replace(old, new))
    clean = name.clean()
    return [o for o in dict.fromkeys(out) if o != clean]


def _swapped_options(name: _Name) -> list[str]:
    family, middles, given = name.family, name.middles, name.given
    if name.culture in _FAMILY_FIRST:
        # Given name first, family last, as Western forms ask for it.
        return [" ".join([*middles, *given, family])]
    rest = " ".join([*given, *middles])
    return [f"{family} {rest}", f"{family} {rest}", f"{family}, {rest}", f"{family.upper()} {rest}"]


_OPTIONS = {
    "exact": _exact_options,
    "common_name": _exact_options,
    "name_variant": _name_variant_options,
    "transliteration": _transliteration_options,
    "swapped_order": _swapped_options,
}


# Only these can find nothing to render for some names (a name without marks, script or
# other spellings has no transliteration); the others always can.
_MAY_FAIL = frozenset({"transliteration", "name_variant"})


def _applicable(name: _Name, variants: set[str]) -> bool:
    return all(v not in _MAY_FAIL or bool(_OPTIONS[v](name)) for v in variants)


# QWERTY neighbours, for substitution typos.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR = {
    ch: "".join(
        other[cc]
        for rr in (r - 1, r, r + 1)
        if 0 <= rr < len(_ROWS)
        for other in (_ROWS[rr],)
        for cc in (c - 1, c, c + 1)
        if 0 <= cc < len(other) and other[cc] != ch
    )
    for r, row in enumerate(_ROWS)
    for c, ch in enumerate(row)
}


def _typo_word(rng: random.Random, word: str) -> str:
    """One edit: a neighbouring key, a dropped letter, two letters swapped, or one doubled."""
    for _ in range(10):
        op = _below(rng, 4)
        # Edits keep the first letter, as most real slips do (and case stays put).
        i = _between(rng, 1, len(word)) if len(word) > 1 else 0
        ch = word[i]
        if op == 0 and ch.lower() in _NEAR:
            sub = _pick(rng, _NEAR[ch.lower()])
            out = word[:i] + (sub.upper() if ch.isupper() else sub) + word[i + 1 :]
        elif op == 1 and len(word) > 3:
            out = word[:i] + word[i + 1 :]
        elif op == 2 and i + 1 < len(word) and word[i] != word[i + 1]:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == 3:
            out = word[: i + 1] + ch + word[i + 1 :]
        else:
            continue
        if out != word:
            return out
    return word + word[-1]


def _typo(rng: random.Random, name: _Name) -> str:
    words = name.clean().split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 3] or list(range(len(words)))
    i = _pick(rng, long)
    words[i] = _typo_word(rng, words[i])
    return " ".join(words)


def _render(rng: random.Random, name: _Name, variant: str) -> str:
    if variant == "typo":
        return _typo(rng, name)
    options = _OPTIONS[variant](name)
    return _pick(rng, options) if options else _typo(rng, name)


def _draw_name(rng: random.Random, culture: str, gender: str) -> _Name:
    """A name drawn from the culture's pools."""
    male = gender == "M"
    if culture == "VN":
        if male:
            middles: tuple[str, ...] = (_VN_MIDDLE_M.draw(rng),)
            given: tuple[str, ...] = (_VN_GIVEN_M.draw(rng),)
        else:
            r = rng.random()
            other = _VN_MIDDLE_F.draw(rng)
            middles = ("Thị",) if r < 0.35 else ("Thị", other) if r < 0.6 else (other,)
            given = (_VN_GIVEN_F.draw(rng),)
        return _Name("VN", _VN_FAMILY.draw(rng), middles, given)
    if culture == "TH":
        nick = _pick(rng, _TH_NICK_M if male else _TH_NICK_F) if rng.random() < 0.6 else None
        given = ((_TH_GIVEN_M if male else _TH_GIVEN_F).draw(rng),)
        if rng.random() < _TH_BUILT_SURNAME_SHARE:
            family = _pick(rng, _TH_FAMILY_HEAD) + _pick(rng, _TH_FAMILY_TAIL)
        else:
            family = _TH_FAMILY.draw(rng)
        return _Name("TH", family, (), given, nickname=nick)
    if culture == "PH":
        r = rng.random()
        if r < 0.3:
            given = tuple((_PH_COMPOUND_M if male else _PH_COMPOUND_F).draw(rng).split())
        else:
            given = ((_PH_GIVEN_M if male else _PH_GIVEN_F).draw(rng),)
        middles = (_PH_FAMILY.draw(rng),) if rng.random() < 0.5 else ()
        return _Name("PH", _PH_FAMILY.draw(rng), middles, given)
    if culture == "BD":
        nick = _pick(rng, _BD_NICK_M if male else _BD_NICK_F) if rng.random() < 0.3 else None
        if male:
            first = _BD_GIVEN_M.draw(rng)
            given = ("Abdul", first) if rng.random() < 0.2 else (first,)
            r = rng.random()
            if r < 0.5:  # the "Mohammad" most Muslim men's names begin with, as spelt
                prefix = "Md." if r < 0.22 else "Mohammad" if r < 0.4 else "Muhammad"
                given = (prefix, *given)
            family = _BD_FAMILY.draw(rng)
        else:
            given = (_BD_GIVEN_F.draw(rng),)
            family = (_BD_FAMILY_F if rng.random() < 0.7 else _BD_FAMILY).draw(rng)
        return _Name("BD", family, (), given, nickname=nick)
    if culture == "SG":
        pool = _SG_SYLLABLE_M if male else _SG_SYLLABLE_F
        first = pool.draw(rng)
        second = pool.draw(rng)
        while second == first:
            second = pool.draw(rng)
        english = None
        if rng.random() < 0.35:
            english = _pick(rng, _SG_ENGLISH_M if male else _SG_ENGLISH_F)
        return _Name("SG", _SG_FAMILY.draw(rng), (), (first, second), english=english)
    given = ((_CA_GIVEN_M if male else _CA_GIVEN_F).draw(rng),)
    middles = (_pick(rng, _CA_MIDDLE_M if male else _CA_MIDDLE_F),) if rng.random() < 0.3 else ()
    if middles == given:
        middles = ()
    return _Name("CA", _CA_FAMILY.draw(rng), middles, given)


def _top_names(culture: str, specs: str) -> tuple[_Name, ...]:
    names = []
    for spec in specs.split(";"):
        family, middles, given = spec.strip().split("|")
        names.append(_Name(culture, family, tuple(middles.split()), tuple(given.split())))
    return tuple(names)


_TOP_NAMES = {key: _top_names(key[0], specs) for key, specs in _TOP.items()}
_TOP_SET = frozenset(name for names in _TOP_NAMES.values() for name in names)
# Which top names each variant type can be rendered for (all can for most).
_TOP_FOR = {v: frozenset(n for n in _TOP_SET if _applicable(n, {v})) for v in VARIANTS}


# --- identifiers, documents, dates ------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return f"{int(rng.random() * 10**n):0{n}d}"


_VN_PREFIXES = _words(
    "90 91 93 94 96 97 98 86 32 33 34 35 36 37 38 39 70 76 77 78 79 81 82 83 84 85 88 56 58"
)
_TH_PREFIXES = _words(
    "61 62 63 64 65 66 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99"
)
_PH_PREFIXES = _words(
    "05 06 15 16 17 18 19 20 21 26 27 28 29 30 35 38 39 45 46 47 48 49 50 55 56 61 65 66 "
    "75 77 78 95 96 97 98 99"
)
_CA_AREAS = _words("416 647 437 604 778 236 514 438 403 587 780 825 613 905 289 519 204 306 902")
# (Prefixes that libphonenumber holds valid: the resolver's reader rejects the others.)
# Phones bought abroad: where people of each nationality work, transit or are held.
_ABROAD = {
    "VN": ("TH", "MY", "SG", "CA"),
    "TH": ("MY", "SG"),
    "PH": ("MY", "SG", "CA"),
    "BD": ("MY", "SG"),
    "SG": ("MY",),
}


def _phone(rng: random.Random, country: str) -> str:
    """A mobile number in E.164 for the country."""
    if country == "VN":
        return f"+84{_pick(rng, _VN_PREFIXES)}{_digits(rng, 7)}"
    if country == "TH":
        return f"+66{_pick(rng, _TH_PREFIXES)}{_digits(rng, 7)}"
    if country == "PH":
        return f"+639{_pick(rng, _PH_PREFIXES)}{_digits(rng, 7)}"
    if country == "BD":
        return f"+8801{_pick(rng, '3456789')}{_digits(rng, 8)}"
    if country == "SG":
        return f"+65{_between(rng, 81, 99)}{_digits(rng, 6)}"
    if country == "MY":
        return f"+601{_pick(rng, '269')}{_digits(rng, 7)}"
    return f"+1{_pick(rng, _CA_AREAS)}{_between(rng, 2, 10)}{_digits(rng, 6)}"


def _handle_base(name: _Name) -> str:
    given = _strip_marks(name.given[-1]).lower()
    family = _strip_marks(name.family).lower()
    return "".join(ch for ch in f"{given}.{family}" if ch.isalnum() or ch == ".")


def _account(rng: random.Random, name: _Name, phone: str, serial: str) -> str:
    """An account id as the graph keys it; `serial` keeps handles apart across humans."""
    c = name.culture
    base = _handle_base(name)
    if c == "VN":
        return f"zalo:0{phone[3:]}" if phone.startswith("+84") else f"telegram:{base}_{serial}"
    if c == "TH":
        return f"line:{base.replace('.', '_')}{serial}"
    if c == "PH":
        return f"facebook:{base}.{serial}"
    if c == "BD":
        return f"whatsapp:{phone}" if rng.random() < 0.6 else f"facebook:{base}.{serial}"
    if c == "SG":
        return f"telegram:{base.replace('.', '_')}_{serial}"
    return f"whatsapp:{phone}" if rng.random() < 0.5 else f"instagram:{base}_{serial}"


def _wallet(rng: random.Random) -> str:
    if rng.random() < 0.7:  # USDT on Tron is the usual rail
        return f"tron:{b58check_encode(bytes([0x41]) + rng.randbytes(20))}"
    return f"eth:0x{rng.randbytes(20).hex()}"


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NRIC_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)


def _passport(rng: random.Random, country: str) -> str:
    """A passport as ingest keys it: `passport:CC:number`."""
    return f"passport:{country}:{_passport_number(rng, country)}"


def _passport_number(rng: random.Random, country: str) -> str:
    if country == "VN":
        return f"{_pick(rng, 'CCCB')}{_digits(rng, 7)}"
    if country == "TH":
        return f"{_pick(rng, 'ABU')}{_pick(rng, _UPPER)}{_digits(rng, 7)}"
    if country == "PH":
        return f"P{_digits(rng, 7)}{_pick(rng, _UPPER)}"
    if country == "BD":
        return f"{_pick(rng, ('A', 'B', 'EB', 'EC', 'BX'))}{_digits(rng, 7)}"
    if country == "SG":
        return f"{_pick(rng, 'KE')}{_digits(rng, 7)}{_pick(rng, _UPPER)}"
    return f"{_pick(rng, _UPPER)}{_pick(rng, _UPPER)}{_digits(rng, 6)}"


def _national_id(rng: random.Random, country: str, birth: str | None, male: bool) -> str | None:
    """The country's national id number (None for Canada, which has none)."""
    year = int(birth[:4]) if birth else 1990
    if country == "VN":
        # CCCD: province, then a digit for sex and century, then the year of birth.
        century = (0 if year < 2000 else 2) + (0 if male else 1)
        return f"0{_between(rng, 1, 97):02d}{century}{year % 100:02d}{_digits(rng, 6)}"
    if country == "TH":
        body = f"{_between(rng, 1, 9)}{_digits(rng, 11)}"
        check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
        return f"{body}{check}"
    if country == "PH":
        return _digits(rng, 12)
    if country == "BD":
        return _digits(rng, 10) if rng.random() < 0.7 else f"{year}{_digits(rng, 13)}"
    if country == "SG":
        digits = _digits(rng, 7)
        prefix = "S" if year < 2000 else "T"
        total = sum(int(d) * w for d, w in zip(digits, _NRIC_WEIGHTS, strict=True))
        total += 4 if prefix == "T" else 0
        return f"{prefix}{digits}{'JZIHGFEDCBA'[total % 11]}"
    return None


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _birth_date(rng: random.Random) -> str:
    # Mostly adults of working age, as in the caseload.
    year = int(rng.triangular(1960, 2007.99, 1990))
    if rng.random() < _JAN_FIRST_SHARE:
        return f"{year:04d}-01-01"
    month = _between(rng, 1, 13)
    return f"{year:04d}-{month:02d}-{_between(rng, 1, _DAYS[month - 1] + 1):02d}"


def _date_typo(rng: random.Random, iso: str) -> str:
    """A day/month swap or one wrong digit (the year's or the day's last), as keyed or misread."""
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:])
    if day <= 12 and day != month and rng.random() < 0.5:
        return f"{year:04d}-{day:02d}-{month:02d}"
    if rng.random() < 0.5:
        # The digit one up or one down, as a slip of the finger.
        year = year - year % 10 + (year + _pick(rng, (1, 9))) % 10
        return f"{year:04d}-{month:02d}-{day:02d}"
    tens, unit = divmod(day, 10)
    days = [tens * 10 + (unit + 1) % 10, tens * 10 + (unit + 9) % 10]
    days += [t * 10 + unit for t in (tens - 1, tens + 1)]
    valid = [d for d in days if 1 <= d <= _DAYS[month - 1]]
    return f"{year:04d}-{month:02d}-{_pick(rng, valid[:2] or valid):02d}"


# --- sources and records ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    """How often a source's records carry each field, and how it writes gender."""

    birth: float
    nationality: float
    gender: float
    phone: float
    account: float
    document: float
    genders: tuple[str, str]


_SOURCES = {
    "kyc": _Source(0.95, 0.95, 0.7, 0.85, 0.4, 0.95, ("M", "F")),
    "border": _Source(1.0, 1.0, 1.0, 0.15, 0.0, 1.0, ("M", "F")),
    "hotel": _Source(0.6, 0.95, 0.3, 0.6, 0.05, 0.85, ("male", "female")),
    "telco": _Source(0.35, 0.5, 0.2, 1.0, 0.1, 0.6, ("M", "F")),
    "seized": _Source(0.05, 0.15, 0.05, 0.95, 0.5, 0.05, ("male", "female")),
    "shelter": _Source(0.8, 0.95, 0.9, 0.5, 0.2, 0.3, ("Male", "Female")),
}
_CLEAN_SOURCES = ("kyc", "kyc", "border", "shelter")
# Sources whose records carry each kind of evidence.
_EVIDENCE_SOURCES = {
    "phone": ("telco", "telco", "seized", "kyc", "hotel"),
    "account": ("seized", "seized", "kyc", "telco"),
    "document": ("border", "hotel", "kyc", "telco"),
    "birth": ("border", "hotel", "shelter", "kyc"),
}
_EVIDENCE_WEIGHTS = {"phone": 0.35, "account": 0.12, "document": 0.2, "birth": 0.33}

# Coprime with 10**9, so each source's numbers stay distinct, but a human's records do
# not sort next to each other as consecutive numbers would.
_ID_MULTIPLIER = 7_919_333


@dataclass
class _Human:
    key: str
    nationality: str
    gender: str
    name: _Name
    birth: str | None
    phones: list[str]
    accounts: list[str]  # "Account:..." and "Wallet:..." identifiers
    documents: list[str]


@dataclass
class GeneratedSet:
    """Records with their truth.

    Attributes:
        records: the records, human by human (each human's clean record first).
        human_of: record id -> the key of the human it is.
        variant_of_pair: for every true pair `(id_a, id_b)`, `id_a < id_b`: the variant
            type that separates the two records (`VARIANTS`).
        hard_negatives: pairs of records of *different* humans that a resolver is
            likely to merge wrongly: `"family_phone"` (household members' records that
            share the household phone) and `"same_name_same_year"` (clean records with
            the same name and birth year). Placeholder documents and other same-name
            pairs are not listed (they are too many); find them from the records.
    """

    records: list[PersonRecord]
    human_of: dict[str, str]
    variant_of_pair: dict[tuple[str, str], str]
    hard_negatives: dict[tuple[str, str], str] = field(default_factory=dict)


class _Generator:
    """The stream of humans and their records; all randomness comes from one seed."""

    def __init__(self, seed: int, records_per_human: tuple[int, int]) -> None:
        low, high = records_per_human
        if not 1 <= low <= high:
            raise ValueError(f"records_per_human must be 1 <= low <= high, got {low}, {high}")
        self.rng = random.Random(seed)  # noqa: S311 - seeded for reproducibility, not secrecy
        self.low, self.high = low, high
        self.humans = 0
        self.counters: dict[str, int] = dict.fromkeys(_SOURCES, 0)
        self.offsets = {source: _below(self.rng, 10**9) for source in _SOURCES}
        self.previous: _Human | None = None
        self.year_of_name: dict[_Name, int] = {}  # the last birth year of each top name
        self.household: tuple[str, str, str] | None = None  # (earlier human, member, phone)

    def _id(self, source: str) -> str:
        self.counters[source] += 1
        number = (self.counters[source] * _ID_MULTIPLIER + self.offsets[source]) % 10**9
        return f"{source}:{number}"

    def _serial(self) -> str:
        # A per-human suffix for handles: distinct across humans (a bijection of the index).
        return format((self.humans * 2_654_435_761) % 4_294_967_296, "x")

    def next_human(self) -> tuple[str, list[tuple[PersonRecord, str | None]]]:
        """The next human's key and records, each with its variant (None for the first)."""
        rng = self.rng
        self.humans += 1
        key = f"H{self.humans:07d}"
        count = _between(rng, self.low, self.high + 1)
        variants = [
            VARIANTS[bisect(_VARIANT_CUM, rng.random() * _VARIANT_CUM[-1])]
            for _ in range(count - 1)
        ]
        previous, self.previous, self.household = self.previous, None, None
        member_of = previous if previous and rng.random() < _HOUSEHOLD_SHARE else None
        if member_of is not None:
            # A household member keeps the family name, so not one of the top names.
            variants = [_pick(rng, VARIANTS[:-1]) if v == "common_name" else v for v in variants]
        human = self._human(key, set(variants), member_of)
        self.previous = human
        if member_of is not None:
            self.household = (member_of.key, key, human.phones[-1][len("Phone:") :])
        if count == 1 and member_of is None and rng.random() < _SPARSE_SHARE:
            return key, [(self._sparse(human), None)]
        records: list[tuple[PersonRecord, str | None]] = [(self._clean(human), None)]
        records += [(self._variant(human, v), v) for v in variants]
        return key, records

    def _human(self, key: str, variants: set[str], member_of: _Human | None) -> _Human:
        rng = self.rng
        if member_of is not None:
            nationality = member_of.nationality
        else:
            nationality = _NATIONALITIES[bisect(_NATIONALITY_CUM, rng.random() * 100)]
        gender = "M" if rng.random() < 0.5 else "F"
        if member_of is not None and member_of.name.family in _BD_FEMALE_ONLY:
            gender = "F"  # a sister or mother: Akter, Begum ... are women's names
        birth = None if rng.random() < _NO_BIRTH_DATE_SHARE else _birth_date(rng)
        name = self._name(nationality, gender, variants, member_of)
        # Same-name humans born the same year: the hardest of the hard negatives.
        if (
            birth
            and member_of is None
            and name in self.year_of_name
            and rng.random() < _SAME_YEAR_SHARE
        ):
            birth = f"{self.year_of_name[name]:04d}{birth[4:]}"
        if birth and name in _TOP_SET:
            self.year_of_name[name] = int(birth[:4])

        phones = [_phone(rng, nationality)]
        if rng.random() < 0.4:
            abroad = _ABROAD.get(nationality)
            country = _pick(rng, abroad) if abroad and rng.random() < 0.5 else nationality
            phones.append(_phone(rng, country))
        if member_of is not None:
            phones.append(member_of.phones[0].removeprefix("Phone:"))  # the household phone
        accounts = []
        if rng.random() < 0.35:
            accounts.append(f"Account:{_account(rng, name, phones[0], self._serial())}")
        if rng.random() < 0.15:
            accounts.append(f"Wallet:{_wallet(rng)}")
        documents = []
        if rng.random() < 0.6 and (
            national := _national_id(rng, nationality, birth, gender == "M")
        ):
            documents.append(f"nid:{nationality}:{national}")
        if not documents or rng.random() < 0.7:
            documents.append(_passport(rng, nationality))
        return _Human(
            key,
            nationality,
            gender,
            name,
            birth,
            [f"Phone:{p}" for p in phones],
            accounts,
            documents,
        )

    def _name(
        self, nationality: str, gender: str, variants: set[str], member_of: _Human | None
    ) -> _Name:
        rng = self.rng
        if member_of is None and ("common_name" in variants or rng.random() < _COMMON_NAME_SHARE):
            tops = [
                n
                for n in _TOP_NAMES[(nationality, gender)]
                if all(n in _TOP_FOR[v] for v in variants)
            ]
            if tops:
                return _pick(rng, tops)
        name = _draw_name(rng, nationality, gender)
        for _ in range(40):
            if member_of is not None:
                name = replace(name, family=member_of.name.family)
                if name.given == member_of.name.given:
                    name = _draw_name(rng, nationality, gender)
                    continue
            if _applicable(name, variants):
                break
            name = _draw_name(rng, nationality, gender)
        # Give a Singaporean an English name when a name variant will need one.
        if nationality == "SG" and "name_variant" in variants and name.english is None:
            english = _pick(rng, _SG_ENGLISH_M if gender == "M" else _SG_ENGLISH_F)
            name = replace(name, english=english)
        return name

    def _clean(self, human: _Human) -> PersonRecord:
        rng = self.rng
        source = _pick(rng, _CLEAN_SOURCES)
        names = [human.name.clean()]
        if human.name.nickname and rng.random() < 0.2:
            names.append(human.name.nickname)  # an alias the source noted
        documents = list(human.documents)
        if rng.random() < _PLACEHOLDER_SHARE:
            documents.append(_pick(rng, PLACEHOLDER_DOCUMENTS))
        return PersonRecord(
            id=self._id(source),
            names=tuple(names),
            birth_date=human.birth,
            nationality=human.nationality,
            gender=_SOURCES[source].genders[human.gender != "M"],
            identifiers=tuple(human.phones + human.accounts),
            documents=tuple(documents),
        )

    def _sparse(self, human: _Human) -> PersonRecord:
        """A record with almost nothing: no name or one letter, a phone, maybe a placeholder."""
        rng = self.rng
        source = _pick(rng, ("telco", "seized"))
        names: tuple[str, ...] = ()
        if rng.random() < 0.5:
            names = (_pick(rng, (human.name.clean()[0], "A", "X", "M", "N", "?")),)
        documents = (_pick(rng, PLACEHOLDER_DOCUMENTS),) if rng.random() < 0.4 else ()
        return PersonRecord(
            id=self._id(source),
            names=names,
            nationality=human.nationality if rng.random() < 0.3 else None,
            identifiers=(_pick(rng, human.phones),),
            documents=documents,
        )

    def _evidence(self, human: _Human, variant: str) -> list[str]:
        """What the record shares with the human's clean record, the main kind first."""
        rng = self.rng
        kinds = ["phone", "document"]
        if human.accounts:
            kinds.append("account")
        if human.birth:
            kinds.append("birth")
        if variant == "common_name":
            # The name alone cannot link a common name: same birth date or shared phone.
            kinds = [k for k in kinds if k in ("phone", "birth")]
        if variant == "exact" and human.birth:
            return ["birth", "phone"] if rng.random() < 0.5 else ["birth"]
        primary = rng.choices(kinds, [_EVIDENCE_WEIGHTS[k] for k in kinds])[0]
        second = _pick(rng, kinds) if rng.random() < 0.3 else primary
        return [primary] if second == primary else [primary, second]

    def _variant(self, human: _Human, variant: str) -> PersonRecord:
        rng = self.rng
        evidence = self._evidence(human, variant)
        source_name = _pick(rng, _EVIDENCE_SOURCES[evidence[0]])
        source = _SOURCES[source_name]

        birth = None
        if human.birth and ("birth" in evidence or rng.random() < source.birth * 0.5):
            birth = human.birth
            if variant == "typo" and rng.random() < 0.25:
                birth = _date_typo(rng, birth)
        nationality = None
        if "birth" in evidence or rng.random() < source.nationality:
            nationality = human.nationality
        gender = None
        if rng.random() < source.gender:
            gender = source.genders[human.gender != "M"]

        identifiers: list[str] = []
        if "phone" in evidence:
            identifiers.append(_pick(rng, human.phones))
        elif rng.random() < source.phone * 0.5:
            # A number of its own (a new SIM): it links to nothing.
            identifiers.append(f"Phone:{_phone(rng, human.nationality)}")
        if "account" in evidence:
            identifiers.append(_pick(rng, human.accounts))
        documents: list[str] = []
        if "document" in evidence:
            documents.append(_pick(rng, human.documents))
        elif rng.random() < source.document * 0.4:
            documents.append(_passport(rng, human.nationality))  # renewed: another number
        if rng.random() < _PLACEHOLDER_SHARE:
            documents.append(_pick(rng, PLACEHOLDER_DOCUMENTS))

        return PersonRecord(
            id=self._id(source_name),
            names=(_render(rng, human.name, variant),),
            birth_date=birth,
            nationality=nationality,
            gender=gender,
            identifiers=tuple(identifiers),
            documents=tuple(documents),
        )


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _pair_variant(first: str | None, second: str) -> str:
    if first is None:
        return second
    return first if _PAIR_RANK[first] > _PAIR_RANK[second] else second


def generate(
    humans: int, seed: int = 7, records_per_human: tuple[int, int] = (1, 3)
) -> GeneratedSet:
    """Generate `humans` humans as 1..3 records each (`records_per_human`), with the truth.

    The same seed gives the same records. A human's first record is the clean one; each
    further record has one variant type, which labels its pair with the first record.
    Two non-first records of a human are labelled with the harder of their two types
    (transliteration > swapped_order > typo > name_variant > common_name > exact).
    Sparse records (no name or one letter) come only from single-record humans.
    """
    gen = _Generator(seed, records_per_human)
    records: list[PersonRecord] = []
    human_of: dict[str, str] = {}
    variant_of_pair: dict[tuple[str, str], str] = {}
    households: list[tuple[str, str, str]] = []
    for _ in range(humans):
        key, emitted = gen.next_human()
        if gen.household:
            households.append(gen.household)
        for i, (record, variant) in enumerate(emitted):
            records.append(record)
            human_of[record.id] = key
            for earlier, earlier_variant in emitted[:i]:
                assert variant is not None  # only the first record has none
                pair = _pair(earlier.id, record.id)
                variant_of_pair[pair] = _pair_variant(earlier_variant, variant)
    return GeneratedSet(
        records, human_of, variant_of_pair, _hard_negatives(records, human_of, households)
    )


def _hard_negatives(
    records: list[PersonRecord], human_of: dict[str, str], households: list[tuple[str, str, str]]
) -> dict[tuple[str, str], str]:
    by_human: dict[str, list[PersonRecord]] = defaultdict(list)
    for record in records:
        by_human[human_of[record.id]].append(record)
    out: dict[tuple[str, str], str] = {}
    for earlier, member, phone in households:
        identifier = f"Phone:{phone}"
        for a in by_human[earlier]:
            if identifier in a.identifiers:
                for b in by_human[member]:
                    if identifier in b.identifiers:
                        out[_pair(a.id, b.id)] = "family_phone"
    same: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, held in by_human.items():
        clean = held[0]
        if clean.names and clean.birth_date and len(clean.names[0]) > 1:
            same[(clean.names[0], clean.birth_date[:4])].append(key)
    for humans in same.values():
        for i, one in enumerate(humans):
            for other in humans[i + 1 :]:
                pair = _pair(by_human[one][0].id, by_human[other][0].id)
                out[pair] = "same_name_same_year"
    return out


def iter_records(n_records: int, seed: int = 7) -> Iterator[PersonRecord]:
    """Stream `n_records` records of the same distribution as `generate` (1..3 per human).

    For the same seed the stream is `generate(...).records` cut at `n_records`; only the
    current human's records are held, so a million records take little memory.
    """
    gen = _Generator(seed, (1, 3))
    left = n_records
    while left > 0:
        _, emitted = gen.next_human()
        for record, _variant in emitted[:left]:
            yield record
        left -= len(emitted)
