"""Finnish inflection without a dictionary: which words are forms of a given name.

Used when Voikko is missing (see ``voikko``), and alongside it for words Voikko does not
know ("Hedan"). A name is matched by generating stems of each name part - the nominative,
the weak grade (Mikko -> Miko-, Pekka -> Peka-, Satu -> Sadu-), -nen stems (Virtanen ->
Virtase-, Virtas-), e/i stems (Mäki -> Mäe-, Rinne -> Rintee-) and -s stems (Tuomas ->
Tuomakse-) - and accepting a word that is such a stem followed by a case ending, possessive
suffix and/or clitic ("Pekalta", "Virtasellekin").

Other people are recognised from the built-in list of common Finnish and English names
(``lexicon``, with the same stems) and -nen surname patterns (Virtasen, Niemiselle). Without
Voikko, names outside the list are found only through cues, lists and full-name pairs, and
surnames that are also words or places cannot be told apart from them.
"""

from __future__ import annotations

import re

from sessions_app.notes.anonymiser.lexicon import COMMON_FIRST_NAMES, COMMON_SURNAMES, NOT_NAMES

_VOWELS = "aeiouyäö"
# Case endings, possessive suffixes and clitics that may follow a stem (lower case).
_ENDINGS = (
    r"(?:|n|a|ä|ta|tä|tta|ttä|na|nä|ksi|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|seen"
    r"|[aeiouyäö]n|h[aeiouyäö]n|t|ten|tten|den|jen|ien|in|ina|inä|iksi|issa|issä|ista|istä"
    r"|illa|illä|ilta|iltä|ille|ia|iä|ja|jä|ine)"
    r"(?:ni|si|nsa|nsä|mme|nne|an|än|en)?(?:kin|kaan|kään|han|hän|pa|pä|ko|kö|s)?"
)
_CLITICS = r"(?:kin|kaan|kään|han|hän|pa|pä|ko|kö|s)?"
_WEAKEN = [("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("lt", "ll"),
           ("nt", "nn"), ("rt", "rr"), ("ht", "hd")]  # fmt: skip
_WEAKEN_SINGLE = {"k": "", "p": "v", "t": "d"}  # only between vowels: Satu -> Sadun
_STRENGTHEN = [("nn", "nt"), ("ll", "lt"), ("rr", "rt"), ("mm", "mp"), ("ng", "nk"),
               ("hd", "ht"), ("d", "t"), ("v", "p")]  # fmt: skip
_LAST_SYLLABLE = re.compile(rf"^(.*?[{_VOWELS}])([^{_VOWELS}\-]+)([{_VOWELS}]+)$")


def _grade(stem: str, rules: list[tuple[str, str]], single: dict[str, str]) -> str:
    """Apply the first matching gradation rule to the consonants before the final vowels."""
    m = _LAST_SYLLABLE.match(stem)
    if not m:
        return stem
    head, cluster, tail = m.groups()
    for strong, weak in rules:
        if cluster.endswith(strong):
            return head + cluster[: -len(strong)] + weak + tail
    if cluster in single:
        return head + single[cluster] + tail
    return stem


def _stems(name: str) -> set[str]:
    """Lower-case stems to which Finnish endings attach, for one name part."""
    word = name.casefold()
    head, _, last = word.rpartition("-")  # Anna-Maija inflects only its last part
    head = head + "-" if head else ""
    stems = {last, _grade(last, _WEAKEN, _WEAKEN_SINGLE)}
    if last.endswith("nen"):  # Virtanen: Virtase-n, Virtas-ta, Virtasi-lle (plural)
        base = last[:-3]
        stems |= {base + "se", base + "s", base + "si"}
    elif last[-1] == "i":  # Mäki: Mäe-n, Mäke-ä; Lahti: Lahde-n (first names keep -i)
        e_stem = last[:-1] + "e"
        stems |= {e_stem, _grade(e_stem, _WEAKEN, _WEAKEN_SINGLE)}
        if e_stem.endswith(("rke", "lke")):  # Kurki: Kurje-n, Jälki: Jälje-n
            stems.add(e_stem[:-2] + "je")
    elif last[-1] == "e":  # Laine: Lainee-n; Rinne: Rintee-n
        stems |= {last + "e", _grade(last, _STRENGTHEN, {"k": "kk", "p": "pp", "t": "tt"}) + "e"}
    elif last[-1] == "s" and len(last) > 2 and last[-2] in _VOWELS:
        # Tuomas: Tuomakse-n; Armas (like the adjective): Armaa-n, Armaa-lle
        stems |= {last[:-1] + "kse", last[:-1] + last[-2]}
    elif last[-1] not in _VOWELS:  # John: Johni-lle, Smith: Smithi-n
        stems.add(last + "i")
    return {head + s for s in stems}


def stem_regex(
    parts: frozenset[str] | set[str],
) -> tuple[re.Pattern[str] | None, dict[str, set[str]]]:
    """A regex matching inflected forms of ``parts``, and which parts each stem belongs to."""
    owners: dict[str, set[str]] = {}
    for part in parts:
        for stem in _stems(part):
            owners.setdefault(stem, set()).add(part)
    if not owners:
        return None, owners
    # The bare form is only the name itself (a weak stem "Peka" alone is no word); any stem
    # may take a non-empty ending. Group 1 or 2 (``m[m.lastindex]``) is the stem matched.
    bare = "|".join(re.escape(p.casefold()) for p in sorted(set(parts), key=len, reverse=True))
    stems = "|".join(re.escape(s) for s in sorted(owners, key=len, reverse=True))
    return re.compile(rf"^(?:({bare}){_CLITICS}|({stems})(?=.){_ENDINGS})$"), owners


_COMMON_NAME_RE, _COMMON_NAME_OWNERS = stem_regex(COMMON_FIRST_NAMES | COMMON_SURNAMES)
# Capitalised -nen surnames in any case but the partitive (which looks like "Turusta"); at
# most 16 letters, as longer ones are compounds ("Työsuojeluviranomaiselta").
_NEN_SURNAME_RE = re.compile(
    r"^(?=.{4,16}$)[^\W\d_]{2,}(?:nen|se(?:n|lle|lla|llä|lta|ltä|ssa|ssä|sta|stä|en|na|nä|ksi|t)|sten)"
    r"(?:kin|kaan|kään)?$"
)
_NOT_NAME_STEMS = tuple(n[:-3] + "s" for n in NOT_NAMES if n.endswith("nen"))  # Ilmaris-


def nen_surname(key: str) -> bool:
    """Fallback: does a capitalised word look like a -nen surname (Virtasen, Niemiselle)?"""
    return bool(_NEN_SURNAME_RE.match(key)) and not key.startswith(_NOT_NAME_STEMS)


def listed_names(key: str) -> set[str]:
    """Names of the built-in list that ``key`` is a form of; "Minna-Marian" is Minna + Maria."""
    m = _COMMON_NAME_RE.match(key)
    if m:
        return _COMMON_NAME_OWNERS[m[m.lastindex]]
    *heads, last = key.split("-")
    if heads and all(h in COMMON_FIRST_NAMES for h in heads):
        m = _COMMON_NAME_RE.match(last)
        return _COMMON_NAME_OWNERS[m[m.lastindex]] & COMMON_FIRST_NAMES if m else set()
    return set()


OBLIQUE_ENDING_RE = re.compile(r"(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|na|nä)$")
