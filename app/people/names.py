"""Names as people compare them: "Genève", "geneve" and " GENEVE " are one city."""
import unicodedata

#: The longest key stored: a name of 200 characters can grow when decomposed (ligatures,
#: compatibility characters), so its key is cut here. Two names alike in their first 400
#: folded characters are taken for one; no real city name comes near.
KEY_LENGTH = 400


def folded(text: str) -> str:
    """``text`` with case, accents and spacing left out: compatibility forms decomposed
    (NFKD: "ﬁ" is "fi"), combining marks dropped ("é" is "e"), case folded ("ß" is "ss"),
    runs of white space, the no-break space included, made one space, none at either end.
    Letters that are no letter plus a mark ("ø", "ł") stay themselves."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def name_key(name: str) -> str:
    """What must differ between two cities' names (``City.name_key``, unique)."""
    return folded(name)[:KEY_LENGTH]


def tidy(name: str) -> str:
    """A name as stored: runs of white space made one space, none at either end."""
    return " ".join(name.split())
