"""Add Finnish and Swedish translations to locale/*/django.po and compile them.

Usage: python scripts/po_add.py entries.json

entries.json is a list of objects:
  {"msgid": "Save", "fi": "Tallenna", "sv": "Spara"}
  {"msgid": "{{ n }} vote", "msgid_plural": "{{ n }} votes",
   "fi": ["…", "…"], "sv": ["…", "…"]}
  {"msgctxt": "navigation", "msgid": "Settings", "fi": "…", "sv": "…"}

An entry whose msgid (and context) is already in a catalogue replaces that entry's
translation there. The catalogues are locked while they change, so several people can
add at once. `make messages` afterwards re-sorts and records source locations.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("fi", "sv")


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def block(entry: dict, language: str) -> str:
    lines = []
    if entry.get("msgctxt"):
        lines.append(f"msgctxt {quote(entry['msgctxt'])}")
    lines.append(f"msgid {quote(entry['msgid'])}")
    translation = entry[language]
    if entry.get("msgid_plural"):
        lines.append(f"msgid_plural {quote(entry['msgid_plural'])}")
        lines += [f"msgstr[{i}] {quote(form)}" for i, form in enumerate(translation)]
    else:
        lines.append(f"msgstr {quote(translation)}")
    return "\n".join(lines) + "\n"


def entry_pattern(entry: dict) -> re.Pattern:
    """The entry as written by this script or by makemessages --no-wrap: its lines up to
    the next blank line or the end of the file."""
    context = f"msgctxt {re.escape(quote(entry['msgctxt']))}\n" if entry.get("msgctxt") else ""
    return re.compile(rf"(?m)^{context}msgid {re.escape(quote(entry['msgid']))}\n(?:msg.*\n?)*")


def add(path: Path, entries: list[dict], language: str) -> None:
    text = path.read_text(encoding="utf-8")
    for entry in entries:
        if language not in entry:
            continue
        new = block(entry, language)
        # Without a context, skip matches that are another entry's msgctxt + msgid.
        match = next(
            (
                found
                for found in entry_pattern(entry).finditer(text)
                if entry.get("msgctxt")
                or not text[: found.start()].rsplit("\n", 2)[-2].startswith("msgctxt")
            ),
            None,
        )
        if match:
            text = text[: match.start()] + new + text[match.end() :]
        else:
            text = text.rstrip("\n") + "\n\n" + new
    path.write_text(text, encoding="utf-8")


def main(source: str) -> None:
    entries = json.loads(Path(source).read_text(encoding="utf-8"))
    with open(LOCALE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for language in LANGUAGES:
            po = LOCALE / language / "LC_MESSAGES" / "django.po"
            add(po, entries, language)
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],
                check=True,
            )


if __name__ == "__main__":
    main(sys.argv[1])
