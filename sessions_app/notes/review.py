"""The personal-data review of a notes text: findings, the author's dismissals, and
replacing findings with placeholders. Pure apart from reading the forum's names.

A dismissal is the pair (kind, text) of a finding, written "kind:text" in forms: it
accepts every occurrence of exactly that text detected as that kind. Offsets would not
survive the author editing the text between two checks; the pair does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.views.decorators.debug import sensitive_variables

from forums.models import Forum, membership_is_active
from members.models import User
from sessions_app.notes.anonymiser import PLACEHOLDERS, Finding, find_personal_data, redact

Dismissal = tuple[str, str]  # (finding kind, finding text)
MAX_DISMISSALS = 200


def dismissal_key(kind: str, text: str) -> str:
    return f"{kind}:{text}"


def parse_dismissal(value: str) -> Dismissal | None:
    kind, sep, text = value.partition(":")
    if not sep or kind not in PLACEHOLDERS or not text:
        return None
    return kind, text


def forum_names(forum: Forum) -> list[str]:
    """Full names the detector treats as members: active members' and coordinators'."""
    people = User.objects.filter(
        Q(memberships__forum=forum) & membership_is_active("memberships__")
        | Q(coordinated_forums=forum)
    ).distinct()
    names = {
        f"{first} {last}".strip() for first, last in people.values_list("first_name", "last_name")
    }
    return sorted(name for name in names if name)


@dataclass(frozen=True)
class Segment:
    """A piece of the reviewed text, for highlighting: a finding or the text between."""

    text: str
    finding: Finding | None = None
    number: int | None = None  # 1-based position among the findings
    dismissed: bool = False


@dataclass(frozen=True)
class Review:
    """The detector's findings on ``text`` and which of them the author dismissed."""

    text: str
    findings: list[Finding]
    dismissed: frozenset[Dismissal] = field(default_factory=frozenset)

    def is_dismissed(self, finding: Finding) -> bool:
        return (finding.kind, finding.text) in self.dismissed

    @property
    def unresolved(self) -> list[Finding]:
        return [f for f in self.findings if not self.is_dismissed(f)]

    @property
    def dismissed_findings(self) -> list[Finding]:
        return [f for f in self.findings if self.is_dismissed(f)]

    @property
    def dismissal_values(self) -> list[str]:
        return sorted(dismissal_key(kind, text) for kind, text in self.dismissed)

    def segments(self) -> list[Segment]:
        out, pos = [], 0
        for number, finding in enumerate(self.findings, start=1):
            if finding.start > pos:
                out.append(Segment(self.text[pos : finding.start]))
            out.append(Segment(finding.text, finding, number, self.is_dismissed(finding)))
            pos = finding.end
        if pos < len(self.text):
            out.append(Segment(self.text[pos:]))
        return out

    def with_dismissed(self, dismissed: frozenset[Dismissal]) -> Review:
        present = {(f.kind, f.text) for f in self.findings}
        return Review(self.text, self.findings, frozenset(dismissed) & present)

    def replace(self, kind: str, start: int, text: str) -> str | None:
        """The text with one finding replaced by its placeholder, or None if no finding of
        that kind and text is left. Prefers the one at ``start``, else the nearest."""
        candidates = [f for f in self.findings if f.kind == kind and f.text == text]
        if not candidates:
            return None
        target = min(candidates, key=lambda f: abs(f.start - start))
        return redact(self.text, [target])

    def replace_all(self) -> str:
        return redact(self.text, self.unresolved)


@sensitive_variables("text")
def note_review(*, forum: Forum, text: str, dismissed: frozenset[Dismissal]) -> Review:
    """Run the detector on ``text``; keep only dismissals that match a current finding."""
    findings = find_personal_data(text, forum_names(forum))
    return Review(text, findings).with_dismissed(dismissed)
