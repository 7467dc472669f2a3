"""What happens in a live meeting: the facilitator's controls, who is in the room,
members' private notepad and commitment, and the meeting plans.

Every state change locks the meeting's LiveMeeting row (select_for_update) and names
the version it was made on: of two facilitator tabs pressing "next speaker" at once,
one moves the round on and the other is told the state had already changed, instead
of skipping a person."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from forums.models import Forum, Membership
from members.models import User
from sessions_app.live import plans, transitions
from sessions_app.live.access import is_live_open
from sessions_app.models import (
    Commitment,
    LiveMeeting,
    LivePresence,
    Meeting,
    MeetingNotepad,
    MeetingPlan,
)

Status = LiveMeeting.Status
ACTIONS = ("start", "next", "skip", "pause", "resume", "extend", "end")
MAX_NOTEPAD = 10_000
MAX_COMMITMENT = 2_000


class StaleState(ValidationError):
    """The action was made on a state that another tab or device had already changed."""


def _require_open(meeting: Meeting) -> None:
    if not is_live_open(meeting):
        raise ValidationError(_("The live meeting is not open now."))


def _require_member(meeting: Meeting, user: User) -> None:
    if not Membership.objects.active().filter(forum=meeting.forum_id, user=user).exists():
        raise PermissionDenied


def live_get_or_create(meeting: Meeting) -> LiveMeeting:
    try:
        live, _created = LiveMeeting.objects.get_or_create(meeting=meeting)
    except IntegrityError:  # another request created it between the get and the create
        live = LiveMeeting.objects.get(meeting=meeting)
    return live


def _locked(meeting: Meeting) -> LiveMeeting:
    live_get_or_create(meeting)
    return LiveMeeting.objects.select_for_update().get(meeting=meeting)


def present_ids(meeting: Meeting) -> list[int]:
    """Active members present, in the order they arrived."""
    members = Membership.objects.active().filter(forum=meeting.forum_id).values("user_id")
    return list(
        LivePresence.objects.filter(meeting=meeting, present=True, user_id__in=members)
        .order_by("arrived_at", "pk")
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def live_control(
    *, meeting: Meeting, actor: User, action: str, version: int, order_mode: str = ""
) -> LiveMeeting:
    """A facilitator's control. Only for the forum's coordinators (the view checked),
    only while the live meeting is open. `version` is the state the facilitator saw:
    if it has moved on since, StaleState is raised and nothing changes."""
    _require_open(meeting)
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    live = _locked(meeting)
    if live.version != version:
        raise StaleState(_("The meeting had already moved on (another window?). Check the "
                           "state and try again."))  # fmt: skip
    now = timezone.now()
    allowed = {
        Status.READY: {"start"},
        Status.RUNNING: {"next", "skip", "pause", "extend", "end"},
        Status.PAUSED: {"next", "skip", "resume", "extend", "end"},
        Status.ENDED: {"start"},
    }[live.status]
    if action not in allowed:
        raise ValidationError(_("That cannot be done now."))
    if order_mode in LiveMeeting.OrderMode.values:
        live.order_mode = order_mode
    if action == "start":
        phases = plans.phases_of(plans.plan_for(meeting))
        transitions.start(live, phases, now, present_ids(meeting))
    elif action in ("next", "skip"):
        step = transitions.next_speaker if action == "next" else transitions.skip_phase
        step(live, now, present_ids(meeting))
    else:
        getattr(transitions, action)(live, now)
    live.version += 1
    live.save()
    return live


@transaction.atomic
def live_order_mode_set(*, meeting: Meeting, actor: User, order_mode: str) -> LiveMeeting:
    """How the next round's speaking order is made: shuffled or by arrival."""
    if order_mode not in LiveMeeting.OrderMode.values:
        raise ValidationError(_("Unknown order."))
    live = _locked(meeting)
    live.order_mode = order_mode
    live.version += 1
    live.save(update_fields=["order_mode", "version"])
    return live


def _round_changes(meeting: Meeting, user_id: int, present: bool) -> None:
    live = _locked(meeting)
    changed = (
        transitions.add_to_round(live, user_id)
        if present
        else transitions.drop_from_round(live, user_id)
    )
    if changed:
        live.version += 1
        live.save(update_fields=["order", "version"])


@transaction.atomic
def presence_join(*, meeting: Meeting, user: User) -> LivePresence | None:
    """A member opened the live meeting during its window: they are in the room (once;
    a facilitator's later "not present" stands). A late arrival gets a turn at the end
    of the round going on. Idempotent."""
    if not is_live_open(meeting):
        return None
    _require_member(meeting, user)
    presence, created = LivePresence.objects.get_or_create(
        meeting=meeting, user=user, defaults={"joined_in_app": True}
    )
    if created:
        _round_changes(meeting, user.pk, present=True)
    return presence


@transaction.atomic
def presence_set(*, meeting: Meeting, actor: User, user_id: int, present: bool) -> LivePresence:
    """The facilitator marks a member present (e.g. without a phone) or not present."""
    _require_open(meeting)
    if not Membership.objects.active().filter(forum=meeting.forum_id, user_id=user_id).exists():
        raise ValidationError(_("Only members of the forum can be marked present."))
    presence, _created = LivePresence.objects.select_for_update().get_or_create(
        meeting=meeting, user_id=user_id, defaults={"present": present}
    )
    if presence.present != present:
        presence.present = present
        presence.save(update_fields=["present"])
    _round_changes(meeting, user_id, present)
    return presence


@sensitive_variables("text")
@transaction.atomic
def notepad_save(*, meeting: Meeting, user: User, text: str) -> MeetingNotepad:
    """The member's own notes during the meeting, encrypted, visible to them only."""
    _require_member(meeting, user)
    _require_open(meeting)
    if len(text) > MAX_NOTEPAD:
        raise ValidationError(_("The notes are too long."))
    notepad, _created = MeetingNotepad.objects.select_for_update().get_or_create(
        meeting=meeting, author=user
    )
    notepad.text = text.strip()
    notepad.save(update_fields=["text", "updated_at"])
    return notepad


@sensitive_variables("text")
@transaction.atomic
def commitment_save(*, meeting: Meeting, user: User, text: str) -> Commitment | None:
    """What the member will try before next time, encrypted, visible to them only. An
    empty text removes it. Returns None then."""
    _require_member(meeting, user)
    _require_open(meeting)
    text = text.strip()
    if len(text) > MAX_COMMITMENT:
        raise ValidationError(_("The commitment is too long."))
    if not text:
        Commitment.objects.filter(meeting=meeting, author=user).delete()
        return None
    commitment, _created = Commitment.objects.select_for_update().get_or_create(
        meeting=meeting, author=user, defaults={"text": text}
    )
    commitment.text = text
    commitment.save(update_fields=["text", "updated_at"])
    return commitment


@sensitive_variables("outcome")
@transaction.atomic
def commitment_outcome_save(*, meeting: Meeting, user: User, outcome: str) -> Commitment:
    """How the member's commitment went, told later (before the next meeting)."""
    _require_member(meeting, user)
    commitment = Commitment.objects.select_for_update().filter(meeting=meeting, author=user).first()
    if commitment is None:
        raise ValidationError(_("There is no commitment to answer."))
    if len(outcome) > MAX_COMMITMENT:
        raise ValidationError(_("The answer is too long."))
    commitment.outcome = outcome.strip()
    commitment.save(update_fields=["outcome", "updated_at"])
    return commitment


@transaction.atomic
def plan_save(
    *, forum: Forum, actor: User, phases: list[dict], opening_text: str,
    meeting: Meeting | None = None,
) -> MeetingPlan:  # fmt: skip
    """Save the forum's default plan, or (with `meeting`) that meeting's own plan. A
    meeting already running keeps the plan it started with."""
    if not phases:
        raise ValidationError(_("A plan needs at least one phase."))
    if meeting is not None and meeting.forum_id != forum.pk:
        raise PermissionDenied
    plan = MeetingPlan.objects.select_for_update().filter(forum=forum, meeting=meeting).first()
    plan = plan or MeetingPlan(forum=forum, meeting=meeting)
    plan.phases = [
        {"kind": p["kind"], "minutes": int(p["minutes"]), "title": p.get("title", "").strip()}
        for p in phases
    ]
    plan.opening_text = opening_text.strip()
    plan.save()
    return plan


def plan_reset(*, meeting: Meeting, actor: User) -> None:
    """The meeting follows its forum's plan again."""
    MeetingPlan.objects.filter(meeting=meeting).delete()


def live_texts_rotate_keys() -> tuple[int, int]:
    """Re-encrypt every notepad and commitment under the first key (one transaction;
    see meetings.services.private_texts_rotate_keys). Returns (notepads, commitments)."""
    with transaction.atomic():
        notepads = crypto.reencrypt_rows(MeetingNotepad.objects.all(), ["text"])
        commitments = crypto.reencrypt_rows(Commitment.objects.all(), ["text", "outcome"])
    return notepads, commitments
