"""Names as people compare them: "Genève", "geneve" and " GENEVE " are one city."""
from benchmark.text import folded

#: The longest key stored: a name of 200 characters can grow when decomposed (ligatures,
#: compatibility characters), so its key is cut here. Two names alike in their first 400
#: folded characters are taken for one; no real city name comes near.
KEY_LENGTH = 400


def name_key(name: str) -> str:
    """What must differ between two cities' names (``City.name_key``, unique)."""
    return folded(name)[:KEY_LENGTH]


def tidy(name: str) -> str:
    """A name as stored: runs of white space made one space, none at either end."""
    return " ".join(name.split())
