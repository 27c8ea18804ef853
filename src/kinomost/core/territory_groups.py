"""Named groups of territories: UN M.49 regions and sub-regions, and trade groupings.

Data only; `kinomost.core.territories.expand` is the one function that reads it.
Source of the regions: UN Statistics Division, Standard country or area codes for statistical
use (M.49). CIS: the nine full members of the Commonwealth of Independent States. EU: the 27
member states since 2020-02-01. GREATER_CHINA: the mainland, Hong Kong, Macau and Taiwan.
"""

M49_SUBREGIONS: dict[str, tuple[str, str]] = {
    # code: (name, space-separated ISO 3166-1 alpha-2 codes)
    "015": ("Northern Africa", "DZ EG LY MA SD TN EH"),
    "014": ("Eastern Africa", "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW"),
    "017": ("Middle Africa", "AO CM CF TD CG CD GQ GA ST"),
    "018": ("Southern Africa", "BW SZ LS NA ZA"),
    "011": ("Western Africa", "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
    "029": ("Caribbean", "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"),
    "013": ("Central America", "BZ CR SV GT HN MX NI PA"),
    "005": ("South America", "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"),
    "021": ("Northern America", "BM CA GL PM US"),
    "143": ("Central Asia", "KZ KG TJ TM UZ"),
    "030": ("Eastern Asia", "CN HK MO KP JP MN KR TW"),
    "035": ("South-eastern Asia", "BN KH ID LA MY MM PH SG TH TL VN"),
    "034": ("Southern Asia", "AF BD BT IN IR MV NP PK LK"),
    "145": ("Western Asia", "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
    "151": ("Eastern Europe", "BY BG CZ HU PL MD RO RU SK UA"),
    "154": ("Northern Europe", "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "039": ("Southern Europe", "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
    "155": ("Western Europe", "AT BE FR DE LI LU MC NL CH"),
    "053": ("Australia and New Zealand", "AU CX CC HM NZ NF"),
    "054": ("Melanesia", "FJ NC PG SB VU"),
    "057": ("Micronesia", "GU KI MH FM NR MP PW UM"),
    "061": ("Polynesia", "AS CK PF NU PN WS TK TO TV WF"),
}

M49_REGIONS: dict[str, tuple[str, list[str]]] = {
    "002": ("Africa", ["015", "014", "017", "018", "011"]),
    "202": ("Sub-Saharan Africa", ["014", "017", "018", "011"]),
    "019": ("Americas", ["029", "013", "005", "021"]),
    "419": ("Latin America and the Caribbean", ["029", "013", "005"]),
    "142": ("Asia", ["143", "030", "035", "034", "145"]),
    "150": ("Europe", ["151", "154", "039", "155"]),
    "009": ("Oceania", ["053", "054", "057", "061"]),
}

NAMED_GROUPS: dict[str, tuple[str, str]] = {
    "CIS": ("Commonwealth of Independent States", "AM AZ BY KZ KG MD RU TJ UZ"),
    "EU": ("European Union", "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"),
    "GREATER_CHINA": ("Greater China", "CN HK MO TW"),
}
