"""Access to Voikko, the Finnish morphological analyser (``libvoikko`` + ``voikko-fi``).

Voikko is optional: without libvoikko or its dictionary ``instance()`` returns None and the
detector uses the stem-based fallback (``stems``). Setting ``enabled`` to False does the same
where Voikko is installed, so that the fallback can be run and tested on any machine.

Voikko instances are not thread-safe: one instance is created lazily and every call to it
holds ``_LOCK``; analyses are cached per word.
"""

from __future__ import annotations

import threading
from functools import lru_cache

try:
    import libvoikko
except ImportError:  # the optional extra "voikko" is not installed
    libvoikko = None

# A reading: (lower-cased base form, class such as "etunimi", case such as "omanto").
Reading = tuple[str, str, str]

enabled = True  # False: behave as if Voikko were not installed
_LOCK = threading.Lock()
_state: dict[str, object] = {}  # "instance" once created, "failed" if it cannot be


def instance() -> libvoikko.Voikko | None:
    """Return the shared Voikko instance, or None when it is missing or switched off."""
    if not enabled:
        return None
    with _LOCK:
        if not _state:
            _state.update(_create())
        return _state.get("instance")


def _create() -> dict[str, object]:
    if libvoikko is None:
        return {"failed": True}
    try:
        return {"instance": libvoikko.Voikko("fi")}
    except Exception:  # OSError (no libvoikko.so), VoikkoException (no dictionary)
        return {"failed": True}


def voikko_available() -> bool:
    return instance() is not None


@lru_cache(maxsize=50_000)
def analyse(word: str) -> tuple[Reading, ...]:
    """(lower-cased base form, class, case) for each Voikko reading of ``word``."""
    voikko = instance()
    if voikko is None:
        return ()
    with _LOCK:
        raw = voikko.analyze(word)
    readings = set()
    for a in raw:
        base, cls = a.get("BASEFORM", "").casefold(), a.get("CLASS", "")
        # Voikko files common surnames such as Nieminen and Ilmarinen as places. Towns ending
        # in -nen inflect in the plural (Ikaalisissa), so a singular -nen "place" is a surname.
        if cls == "paikannimi" and base.endswith("nen") and a.get("NUMBER") == "singular":
            cls = "sukunimi"
        readings.add((base, cls, a.get("SIJAMUOTO") or ""))
    return tuple(sorted(readings))
