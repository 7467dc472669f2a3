"""Find and redact personal data in anonymised session notes before they are stored.

``find_personal_data(text, names)`` returns non-overlapping ``Finding``s of six kinds:

* ``member`` - a forum member's first name or surname, in any inflected form
  ("Liisalle", "Mikon", "Virtasen", "Anna-Maijan", "Liisa's"),
* ``person`` - somebody else's name ("Jukka Lehtonen", "Kirsille", "my employee John Smith"),
* ``email``, ``phone`` (Finnish and international formats, via ``phonenumbers``),
* ``hetu`` - Finnish personal identity code with a valid date and checksum, old (``+ - A``)
  and 2023 (``B-F``, ``U-Y``) century separators,
* ``iban`` - with or without spaces, validated with ``stdnum.iban``.

Pure Python, no Django. The modules, from the entry points down:

* ``detector`` - ``find_personal_data`` and ``redact``,
* ``structured`` - hetu, IBAN, e-mail and phone,
* ``names`` - which words are a member's or somebody else's name, and why,
* ``evidence`` - whether a member's name that is also an ordinary word (Satu, Mäki) is meant
  as the name: certain, *possible* (``Finding.certain`` is False) or not at all,
* ``tokens`` - words with their position, capitalisation and dictionary readings,
* ``members`` - the members' names, parsed,
* ``stems`` - inflected forms of names without a dictionary (the fallback),
* ``voikko`` - the optional Voikko analyser (``voikko_available()``, the ``enabled`` switch),
* ``lexicon`` and ``cues`` - word lists; ``findings`` - ``Finding`` and ``PLACEHOLDERS``.
"""

from sessions_app.notes.anonymiser.detector import find_personal_data, redact
from sessions_app.notes.anonymiser.findings import PLACEHOLDERS, Finding
from sessions_app.notes.anonymiser.voikko import voikko_available

__all__ = ["PLACEHOLDERS", "Finding", "find_personal_data", "redact", "voikko_available"]
