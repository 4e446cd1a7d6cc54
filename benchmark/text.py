"""Text as people compare it: "Genève", "geneve" and " GENEVE " are one name, and
"Who chairs the committee?" and "who chairs  the COMMITTEE ?" are one question."""
import re
import unicodedata
from functools import lru_cache

#: A space that typography, not meaning, puts beside punctuation: before ``? ! : ; , . » )``
#: (French puts a no-break space before ``? ! : ;`` and inside guillemets) or after ``« (``.
_SPACE_BY_PUNCTUATION = re.compile(r" (?=[?!:;,.»)])|(?<=[«(]) ")


@lru_cache(maxsize=16_384)  # a consolidation folds each name and question several times
def folded(text: str) -> str:
    """``text`` with case, accents and spacing left out: compatibility forms decomposed
    (NFKD: "ﬁ" is "fi"), combining marks dropped ("é" is "e"), case folded ("ß" is "ss"),
    runs of white space, the no-break space included, made one space, none at either end.
    Letters that are no letter plus a mark ("ø", "ł") stay themselves."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def question_key(text: str) -> str:
    """What must differ between two questions: :func:`folded`, and the spacing around
    punctuation left out too ("committee ?" with a French no-break space is "committee?").
    The punctuation itself stays: "Who chairs it?" and "Who chairs it" are two texts."""
    return _SPACE_BY_PUNCTUATION.sub("", folded(text))
