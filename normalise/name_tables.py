"""Word tables for :mod:`normalise.name_forms`.

Every table holds words as :func:`normalise.name_forms` compares them: NFC, case-folded,
letters, marks and digits only (so "Ma'am" is ``maam`` and "Mr." is ``mr``). Vietnamese
words keep their diacritics where the bare spelling is also a given name ("chị" is an
honorific, "Chi" a name). The forms are those in everyday use in the communities the
cases come from (Vietnam, Thailand, the Philippines, Bangladesh, Malaysia and Indonesia,
Chinese Singapore, and their diasporas), written down for this table; none is taken from
a published list.
"""

from __future__ import annotations

# Words put before a name as a title or form of address. Dropped when the name goes on
# after them ("Chị Maricel" is Maricel); a lone title stays, as it may be the name itself.
HONORIFICS: frozenset[str] = frozenset(
    {
        # Vietnamese (pronouns of address; "anh" and "em" are also names, but as the
        # first of several words in a contact they are nearly always the address).
        "anh", "chị", "em", "cô", "chú", "bác", "ông", "bà", "sếp", "sep",
        # Thai
        "พี่", "น้อง", "คุณ", "นาย", "นาง", "นางสาว",
        # Filipino
        "kuya", "ate", "tito", "tita", "manong", "manang", "boss", "sir", "maam",
        # Malay and Indonesian
        "bang", "abang", "kak", "kakak", "pak", "encik", "makcik",
        # English
        "mr", "mrs", "ms", "miss", "dr",
    }
)  # fmt: skip

# Titles that are also names: Vietnamese "Anh Hải Lại" is a name (Lại Anh Hải in
# given-name-first order), "Anh Mon" a form of address. They count as a title only before
# a name of one word. Ông is also a surname ("Bảo Hương Ông").
NAME_TITLES: frozenset[str] = frozenset({"anh", "em", "ông"})

# Titles written as two words.
HONORIFIC_PHRASES: frozenset[tuple[str, str]] = frozenset({("mak", "cik")})

# Thai titles that are often written joined to the name ("พี่มาลี"); longest first, so
# that นางสาว is tried before นาง.
THAI_JOINED_TITLES: tuple[str, ...] = ("นางสาว", "น้อง", "คุณ", "นาย", "นาง", "พี่")

# Words naming a relative or a role, not a person: a contact saved as only these ("Mẹ",
# "แม่", "Mom", "Kuya") says nothing about who the person is. Leading one before a name
# they are a form of address, like the honorifics.
KINSHIP: frozenset[str] = frozenset(
    {
        # Vietnamese
        "mẹ", "má", "mạ", "bố", "ba", "tía", "vợ", "chồng", "con", "chị", "cô",
        "chú", "bác", "dì", "cậu", "mợ", "thím", "dượng", "ông", "bà", "nội", "ngoại",
        "sếp", "chủ", "vk", "ck",
        # Thai
        "แม่", "พ่อ", "แฟน", "พี่ชาย", "พี่สาว", "น้องชาย", "น้องสาว", "ลูก", "ยาย", "ตา",
        "ปู่", "ย่า", "ลุง", "ป้า", "น้า", "อา", "สามี", "ภรรยา", "เมีย", "ผัว", "หัวหน้า",
        # Filipino
        "nanay", "tatay", "inay", "itay", "asawa", "anak", "lola", "lolo", "kuya", "ate",
        "tito", "tita", "ninang", "ninong", "amo",
        # Malay, Indonesian, Bangla (romanised)
        "ibu", "bapak", "ayah", "emak", "isteri", "istri", "suami", "abba", "amma", "ammu",
        # English
        "mom", "mum", "mama", "mommy", "mummy", "dad", "daddy", "papa", "wife", "husband",
        "hubby", "wifey", "daughter", "brother", "sister", "bro", "sis", "uncle",
        "auntie", "aunt", "grandma", "grandpa", "boss", "babe", "love",
        "landlord", "driver",
    }
)  # fmt: skip

# Birth-order, size and sex words: after a title or kinship word they complete a form of
# address ("Anh Hai" is the eldest brother, "พี่ชาย ใหญ่" the big brother, "Con gái" the
# daughter), not a name. Alone they may be a nickname ("Lek"), so they count only next
# to a title or kinship word.
BIRTH_ORDER: frozenset[str] = frozenset(
    {
        "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "út", "cả",
        "gái", "trai",
        "ใหญ่", "กลาง", "เล็ก",
        "panganay", "bunso", "big", "little", "eldest", "youngest",
    }
)  # fmt: skip

# Words saying what the person does or where they are found, put after the name in a
# contact ("Olena print shop", "Bang Ahmad boat"); dropped from the end while a name
# remains before them. Kept to words that are not also given names or surnames.
DESCRIPTORS: frozenset[str] = frozenset(
    {
        "boat", "shop", "store", "print", "printing", "driver", "taxi", "grab", "office",
        "hotel", "bar", "karaoke", "massage", "spa", "salon", "agent", "agency", "broker",
        "money", "cash", "bank", "visa", "travel", "tour", "ticket", "transport", "truck",
        "repair", "farm", "factory", "restaurant", "cafe", "guesthouse", "work", "new",
        "old", "number", "phone", "landlord", "dorm", "recruiter", "van", "checkpoint",
        "border",
        # Vietnamese: cũ/mới (old/new number)
        "cũ", "mới",
        # Thai: lodging, shop, new, old, van, taxi, driver, boat, truck, checkpoint,
        # border, broker, agent, hotel, massage, restaurant, factory, tour, visa
        "บ้านพัก", "ร้าน", "ใหม่", "เก่า", "รถตู้", "แท็กซี่", "คนขับ", "เรือ", "รถบรรทุก",
        "ด่าน", "ชายแดน", "นายหน้า", "เอเย่นต์", "โรงแรม", "นวด", "ร้านอาหาร", "โรงงาน",
        "ทัวร์", "วีซ่า",
        # Filipino: boat, driver, agent, store
        "bangka", "drayber", "tsuper", "ahente", "tindahan",
        # Malay: boat, shop, agent, taxi, lorry, driver, border
        "bot", "kedai", "ejen", "teksi", "lori", "pemandu", "sempadan",
    }
)  # fmt: skip

# Descriptors of two words (Vietnamese: driver, motorbike taxi, landlord, company, coach,
# guesthouse, broker, border gate, pawnshop, money changer).
DESCRIPTOR_PHRASES: frozenset[tuple[str, str]] = frozenset(
    {
        ("tài", "xế"), ("xe", "ôm"), ("chủ", "nhà"), ("công", "ty"), ("xe", "khách"),
        ("nhà", "nghỉ"), ("môi", "giới"), ("cửa", "khẩu"), ("cầm", "đồ"), ("đổi", "tiền"),
    }
)  # fmt: skip

# Name parts that one record writes and another leaves out: Spanish, Portuguese, Dutch
# and Arabic particles ("Dela Cruz" / "Cruz"), the Vietnamese gender middle names Văn and
# Thị, and Mohammad, which Bangladeshi names carry or drop. As folded tokens.
OPTIONAL_PARTS: frozenset[str] = frozenset(
    {
        "de", "del", "dela", "delas", "delos", "la", "las", "los", "da", "das", "do", "dos",
        "di", "du", "van", "von", "der", "den", "ter", "bin", "binti", "bte", "al", "el",
        "thi", "mohammad", "mohammed", "muhammad", "mohamed", "muhammed", "mohamad",
        "mohammd", "muhammd",  # anyascii's spellings of Bangla মোহাম্মদ, মুহাম্মদ
    }
)  # fmt: skip

# Particles written joined to the name that follows ("Delacruz", "Delrosario"), with the
# fewest letters that must follow for the join to be read so (not "Delgado", "Delaney").
JOINED_PARTICLES: tuple[tuple[str, int], ...] = (
    ("delos", 4),
    ("delas", 4),
    ("dela", 4),
    ("del", 5),
    ("dos", 5),
)

# Generational suffixes: not part of the name that identifies the person.
SUFFIXES: frozenset[str] = frozenset({"jr", "sr", "ii", "iii"})

# Abbreviations always written for one name: the token is replaced by the name.
# "Md", "Mohd", "Muhd" and Bangla মো / মোঃ are how Mohammad is shortened in Bangladesh,
# Malaysia and Singapore.
ABBREVIATIONS: dict[str, str] = {
    "md": "mohammad",
    "mohd": "mohammad",
    "muhd": "muhammad",
    "mhd": "mohammad",
    "মো": "mohammad",
    "মোঃ": "mohammad",
}

# Abbreviations that are only such when written with their full stop: Filipino "Ma."
# is Maria, but "Ma" is also a Chinese surname.
DOTTED_ABBREVIATIONS: dict[str, str] = {"ma": "maria"}

# Short forms and their full names, as used in English-speaking countries, the Philippines
# (Spanish and English forms) and the Vietnamese and Thai diasporas that take English
# names. A short form may stand for several names: the tokens get all of them. Pet names
# that stand for no one name (Filipino Jun, Jojo, Bong, Nene, Inday, Boy) are left out.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "abby": ("abigail",),
    "alex": ("alexander", "alexandra"),
    "andy": ("andrew",),
    "becky": ("rebecca",),
    "ben": ("benjamin",),
    "beth": ("elizabeth",),
    "betty": ("elizabeth",),
    "bill": ("william",),
    "billy": ("william",),
    "bob": ("robert",),
    "cardo": ("ricardo",),
    "bobby": ("robert",),
    "cathy": ("catherine",),
    "charlie": ("charles",),
    "chris": ("christopher", "christine", "cristina", "christina"),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "dave": ("david",),
    "debbie": ("deborah",),
    "ed": ("edward", "eduardo"),
    "eddie": ("edward", "eduardo"),
    "greg": ("gregory",),
    "jeff": ("jeffrey",),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "jess": ("jessica",),
    "jessie": ("jessica",),
    "jim": ("james",),
    "jimmy": ("james",),
    "jon": ("jonathan",),
    "josh": ("joshua",),
    "kate": ("katherine", "catherine"),
    "katie": ("katherine", "catherine"),
    "kathy": ("katherine", "kathleen"),
    "ken": ("kenneth",),
    "kenny": ("kenneth",),
    "liz": ("elizabeth",),
    "lizzy": ("elizabeth",),
    "manny": ("manuel",),
    "matt": ("matthew",),
    "mike": ("michael",),
    "mikey": ("michael",),
    "mon": ("ramon",),
    "nando": ("fernando",),
    "nick": ("nicholas",),
    "nicky": ("nicholas", "nicole"),
    "paco": ("francisco",),
    "pancho": ("francisco",),
    "pat": ("patrick", "patricia"),
    "pepe": ("jose",),
    "pete": ("peter",),
    "rich": ("richard",),
    "rick": ("richard", "ricardo"),
    "ricky": ("richard", "ricardo"),
    "rico": ("ricardo",),
    "rob": ("robert",),
    "robbie": ("robert",),
    "ron": ("ronald",),
    "sam": ("samuel", "samantha"),
    "steve": ("steven", "stephen"),
    "sue": ("susan",),
    "tess": ("teresa", "theresa"),
    "tessie": ("teresa", "theresa"),
    "tim": ("timothy",),
    "tina": ("cristina", "christina", "martina"),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "tony": ("anthony", "antonio"),
    "vic": ("victor", "victoria"),
    "vince": ("vincent",),
    "will": ("william",),
}

# Hanyu Pinyin syllables that begin with a consonant, without tones. Used to split a
# joined given name ("Weijie") into its syllables; syllables with no initial (an, ai,
# er) are left out on purpose, as words like "Anan" or "Maria" would split on them.
_PINYIN = """
    ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
    pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
    ma mai man mang mao mei men meng mi mian miao mie min ming miu mo mou mu
    fa fan fang fei fen feng fo fou fu
    da dai dan dang dao de dei den deng di dian diao die ding diu dong dou du duan dui
    dun duo
    ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu
    nuan nuo nue nv
    la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou
    lu luan lun luo lue lv
    ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
    ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
    ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
    ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
    qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
    xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
    zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan
    zhuang zhui zhun zhuo
    cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang
    chui chun chuo
    sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang
    shui shun shuo
    ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
    za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
    ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
    sa sai san sang sao se sen seng si song sou su suan sui sun suo
    ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
    wa wai wan wang wei wen weng wo wu
"""
PINYIN_SYLLABLES: frozenset[str] = frozenset(_PINYIN.split())

# Two-letter syllables that spell pinyin and few other names' parts: a joined name may be
# split on these too ("Huiyi", "Yimei"), but not on li, na or da (Lina, Dana, Linda).
PINYIN_SHORT_SYLLABLES: frozenset[str] = frozenset(
    {"yi", "xi", "qi", "zi", "ci", "yu", "xu", "qu", "wu", "ju"}
)
