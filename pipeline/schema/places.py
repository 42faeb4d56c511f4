"""Country and subdivision codes, so that a place names a real jurisdiction.

Job-posting data (schema.org `addressCountry`) and pay-transparency laws are decided by country,
state and province, so a place carries codes rather than only a name a person reads.
Source: ISO 3166-1 alpha-2 (the 249 officially assigned codes, as listed by Unicode CLDR 47 through
Babel 2.17, without CLDR's exceptionally reserved AC, CP, CQ, DG, EA, IC and TA) and ISO 3166-2 for
the United States (50 states, DC and the inhabited territories) and Canada (10 provinces, 3 territories).
"""

from __future__ import annotations

ISO_3166_1: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
    BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
    ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
    HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
    LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
    SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

SUBDIVISIONS: dict[str, frozenset[str]] = {
    "US": frozenset(
        """
        AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY
        NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI
        """.split()),
    "CA": frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split()),
}
"""The subdivisions rolepack checks; a region elsewhere is accepted as written (letters and digits)."""

EU_MEMBERS: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
"""The 27 member states of the European Union (as of 2026-12-01; source: european-union.europa.eu)."""


def area_problem(code: str) -> str | None:
    """Why `code` ("US", "US-CO", "CA-ON", "PT") is not a country or a country's subdivision."""
    country, _, region = code.partition("-")
    if country not in ISO_3166_1:
        return f"'{country}' is not an ISO 3166-1 country code (such as US, CA, PT, DE)"
    known = SUBDIVISIONS.get(country)
    if region and known is not None and region not in known:
        return f"'{region}' is not a subdivision of {country} (ISO 3166-2: {', '.join(sorted(known)[:6])}, …)"
    return None
