"""The world the demo is set in: its time window, countries, telephone plans and places.

Everything here is fixed data; nothing is drawn at random. The places (checkpoints, cell
sites, hotels) are where the sources say people were seen.
"""

from __future__ import annotations

from datetime import date

# The investigation window (local dates).
START = date(2025, 5, 1)
END = date(2025, 11, 15)
# The hub policy's default threshold: distinct people at which an identifier is a hub.
HUB_MIN_PEOPLE = 12
# Background people per location are kept below this, so only the planted hub is one.
LOCATION_CAP = 10

# Country calling codes, and alpha-3 codes as passports (MRZ) write nationalities.
COUNTRY_CODES = {"VN": "84", "PH": "63", "TH": "66", "BD": "880", "SG": "65", "MY": "60",
                 "CA": "1"}  # fmt: skip
ALPHA3 = {"VN": "VNM", "PH": "PHL", "TH": "THA", "BD": "BGD", "SG": "SGP", "MY": "MYS",
          "CA": "CAN"}  # fmt: skip
# Countries whose operators answered the subscriber production order.
TELCO_COUNTRIES = ("VN", "PH", "TH", "BD", "SG", "CA")
# Mobile operators per country.
OPERATORS = {
    "VN": ("Viettel", "VinaPhone", "MobiFone"),
    "PH": ("Globe", "Smart", "DITO"),
    "TH": ("AIS", "TrueMove H", "dtac"),
    "BD": ("Grameenphone", "Robi", "Banglalink"),
    "SG": ("Singtel", "StarHub", "M1"),
    "CA": ("Rogers", "Bell", "Telus"),
}
# Mobile prefixes per country, and how many digits follow them.
MOBILE_PREFIXES: dict[str, tuple[tuple[str, ...], int]] = {
    "VN": (("90", "93", "89", "91", "94", "88", "96", "97", "98", "86", "32", "33", "34", "35",
            "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85"),
           7),
    "PH": (("905", "906", "915", "916", "917", "926", "927", "935", "936", "945", "953", "954",
            "955", "956", "965", "966", "975", "977", "995", "997", "907", "908", "909", "910",
            "912", "918", "919", "920", "921", "928", "929", "930", "938", "939", "946", "947",
            "948", "949", "950", "951", "961", "998", "999", "991", "992", "993"), 7),
    "TH": (("81", "82", "83", "84", "85", "86", "87", "88", "89", "61", "62", "63", "64", "65",
            "91", "92", "93", "94", "95", "96", "97", "98", "99"), 7),
    "BD": (("17", "13", "18", "16", "19", "15"), 8),
    "SG": (("8", "9"), 7),
    "MY": (("12", "13", "16", "17", "19"), 7),
}  # fmt: skip
# Area codes of Canadian cities: a Canadian's number is drawn in their own city.
CA_AREAS = {"Toronto": ("416", "647", "437"), "Scarborough": ("416", "647"),
            "Mississauga": ("905", "289"), "Brampton": ("905", "289"),
            "Montréal": ("514", "438"), "Laval": ("450", "579"), "Ottawa": ("613", "343"),
            "Vancouver": ("604", "778"), "Hamilton": ("905", "289")}  # fmt: skip
# Time zone of the local times written in each country's sources.
ZONES = {"VN": "Asia/Ho_Chi_Minh", "PH": "Asia/Manila", "TH": "Asia/Bangkok",
         "CA": "America/Toronto"}  # fmt: skip

# Thai immigration checkpoints: land posts with (approximate) coordinates, airports by name.
CHECKPOINTS: dict[str, tuple[str, float | None, float | None]] = {
    "Suvarnabhumi Airport": ("Samut Prakan", None, None),
    "Don Mueang Airport": ("Bangkok", None, None),
    "Hat Yai International Airport": ("Songkhla", None, None),
    "Phuket International Airport": ("Phuket", None, None),
    "Chiang Mai International Airport": ("Chiang Mai", None, None),
    "Sadao Immigration Checkpoint": ("Songkhla", 6.6393, 100.4219),
    "Padang Besar Immigration Checkpoint": ("Songkhla", 6.6631, 100.3219),
    "Satun Tammalang Pier": ("Satun", 6.5307, 100.0690),
    "Mae Sot Friendship Bridge": ("Tak", 16.7035, 98.5365),
    "Aranyaprathet Checkpoint": ("Sa Kaeo", 13.6636, 102.5519),
    "Nong Khai Friendship Bridge": ("Nong Khai", 17.8782, 102.7163),
    "Chiang Khong Friendship Bridge": ("Chiang Rai", 20.2155, 100.4475),
    "Mukdahan Friendship Bridge": ("Mukdahan", 16.5858, 104.7436),
    "Krabi International Airport": ("Krabi", None, None),
    "Udon Thani International Airport": ("Udon Thani", None, None),
    "U-Tapao International Airport": ("Rayong", None, None),
    "Chiang Rai International Airport": ("Chiang Rai", None, None),
}
# Thai cell sites and their coordinates.
CELL_SITES: dict[str, tuple[float, float]] = {
    "HY-0141": (7.0086, 100.4747), "HY-0152": (7.0203, 100.4660),
    "HY-0177": (6.9951, 100.4831), "SD-0021": (6.6394, 100.4226),
    "SD-0034": (6.7802, 100.4098), "PB-0007": (6.6620, 100.3226),
    "SK-0210": (7.1898, 100.5951), "ST-0019": (6.6238, 100.0674),
    "BK-1203": (13.7563, 100.5018), "BK-1377": (13.7460, 100.5340),
    "BK-1422": (13.7279, 100.5241), "BK-1550": (13.8130, 100.5600),
    "CM-0310": (18.7883, 98.9853), "PK-0055": (7.8804, 98.3923),
    "MS-0012": (16.7132, 98.5747), "PT-0088": (12.9236, 100.8825),
    "KK-0140": (16.4322, 102.8236), "UD-0061": (17.4138, 102.7870),
}  # fmt: skip
# Hat Yai and the southern border: where the transport cell's phones are seen.
NET2_CELLS = ("HY-0141", "HY-0152", "HY-0177", "SD-0021", "SD-0034", "PB-0007", "ST-0019")
# Hotels in Ontario and Québec: city and province.
HOTELS: dict[str, tuple[str, str]] = {
    "Auberge Saint-Denis": ("Montréal", "QC"),
    "Hôtel Champlain Centre-Ville": ("Montréal", "QC"),
    "Hôtel Place d'Youville": ("Montréal", "QC"),
    "Queen West Boutique Hotel": ("Toronto", "ON"),
    "Lakeshore Suites Toronto": ("Toronto", "ON"),
    "Pearson Airport Lodge": ("Mississauga", "ON"),
    "Markham Business Inn": ("Markham", "ON"),
    "Rideau Canal Hotel": ("Ottawa", "ON"),
    "Niagara Falls View Motel": ("Niagara Falls", "ON"),
    "Gatineau Riverside Inn": ("Gatineau", "QC"),
    "Laval Carrefour Suites": ("Laval", "QC"),
    "Brampton Gateway Hotel": ("Brampton", "ON"),
}
