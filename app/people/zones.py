"""A city's time zone: its own when a coordinator set one, else the usual zone of its
country (the network's cities are European; one zone per country covers them but for
the few countries with several, where the coordinator sets the city's own)."""
from zoneinfo import ZoneInfo, available_timezones

from benchmark.text import folded

#: The usual IANA zone of each country, by its name folded (English and French names).
COUNTRY_ZONES: dict[str, str] = {
    **dict.fromkeys(("albania", "albanie"), "Europe/Tirane"),
    **dict.fromkeys(("austria", "autriche"), "Europe/Vienna"),
    **dict.fromkeys(("belgium", "belgique"), "Europe/Brussels"),
    **dict.fromkeys(("bosnia and herzegovina", "bosnie-herzegovine"), "Europe/Sarajevo"),
    **dict.fromkeys(("bulgaria", "bulgarie"), "Europe/Sofia"),
    **dict.fromkeys(("croatia", "croatie"), "Europe/Zagreb"),
    **dict.fromkeys(("cyprus", "chypre"), "Asia/Nicosia"),
    **dict.fromkeys(("czechia", "czech republic", "tchequie", "republique tcheque"), "Europe/Prague"),
    **dict.fromkeys(("denmark", "danemark"), "Europe/Copenhagen"),
    **dict.fromkeys(("estonia", "estonie"), "Europe/Tallinn"),
    **dict.fromkeys(("finland", "finlande"), "Europe/Helsinki"),
    **dict.fromkeys(("france",), "Europe/Paris"),
    **dict.fromkeys(("germany", "allemagne"), "Europe/Berlin"),
    **dict.fromkeys(("greece", "grece"), "Europe/Athens"),
    **dict.fromkeys(("hungary", "hongrie"), "Europe/Budapest"),
    **dict.fromkeys(("iceland", "islande"), "Atlantic/Reykjavik"),
    **dict.fromkeys(("ireland", "irlande"), "Europe/Dublin"),
    **dict.fromkeys(("italy", "italie"), "Europe/Rome"),
    **dict.fromkeys(("latvia", "lettonie"), "Europe/Riga"),
    **dict.fromkeys(("lithuania", "lituanie"), "Europe/Vilnius"),
    **dict.fromkeys(("luxembourg",), "Europe/Luxembourg"),
    **dict.fromkeys(("malta", "malte"), "Europe/Malta"),
    **dict.fromkeys(("montenegro",), "Europe/Podgorica"),
    **dict.fromkeys(("netherlands", "the netherlands", "pays-bas"), "Europe/Amsterdam"),
    **dict.fromkeys(("north macedonia", "macedoine du nord"), "Europe/Skopje"),
    **dict.fromkeys(("norway", "norvege"), "Europe/Oslo"),
    **dict.fromkeys(("poland", "pologne"), "Europe/Warsaw"),
    **dict.fromkeys(("portugal",), "Europe/Lisbon"),
    **dict.fromkeys(("romania", "roumanie"), "Europe/Bucharest"),
    **dict.fromkeys(("serbia", "serbie"), "Europe/Belgrade"),
    **dict.fromkeys(("slovakia", "slovaquie"), "Europe/Bratislava"),
    **dict.fromkeys(("slovenia", "slovenie"), "Europe/Ljubljana"),
    **dict.fromkeys(("spain", "espagne"), "Europe/Madrid"),
    **dict.fromkeys(("sweden", "suede"), "Europe/Stockholm"),
    **dict.fromkeys(("switzerland", "suisse"), "Europe/Zurich"),
    **dict.fromkeys(("turkey", "turkiye", "turquie"), "Europe/Istanbul"),
    **dict.fromkeys(("ukraine",), "Europe/Kyiv"),
    **dict.fromkeys(("united kingdom", "uk", "royaume-uni"), "Europe/London"),
}
FALLBACK_ZONE = "UTC"


def is_zone(name: str) -> bool:
    """An IANA zone name this machine knows (``Europe/Lisbon``)."""
    return name in available_timezones()


def city_zone(country: str, time_zone: str | None) -> ZoneInfo:
    """The city's own zone if set, else its country's usual one, else UTC."""
    return ZoneInfo(time_zone or COUNTRY_ZONES.get(folded(country), FALLBACK_ZONE))
