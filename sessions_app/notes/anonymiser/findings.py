"""What the detector reports: a ``Finding`` of one of the kinds in ``PLACEHOLDERS``."""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDERS = {
    "member": "[jäsen]",
    "person": "[henkilö]",
    "phone": "[puhelin]",
    "email": "[sähköposti]",
    "hetu": "[henkilötunnus]",
    "iban": "[tilinumero]",
}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str  # == original[start:end]
    # False: a member's name where the evidence is balanced ("possible name"); the editor
    # shows it apart from the certain findings. It is still a finding to resolve.
    certain: bool = True
