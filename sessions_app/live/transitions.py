"""How the facilitator's controls move a live meeting on: pure functions on a
LiveMeeting row (not saved here), given the time and who is present, in arrival order.

A round gives every person present the same slot, one after another; any other phase
is one timed slot. Time is kept as the moment the slot ends (while running) or the
seconds left (while paused), so every client computes the same time left from the
server's clock."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sessions_app.live.plans import is_round
from sessions_app.models import LiveMeeting

Status = LiveMeeting.Status
EXTENSION_SECONDS = 60


def time_left(live: LiveMeeting, now: datetime) -> int:
    if live.status == Status.RUNNING and live.segment_ends_at is not None:
        return max(0, math.ceil((live.segment_ends_at - now).total_seconds()))
    if live.status == Status.PAUSED:
        return live.remaining_seconds
    return 0


def arrange(present_ids: list[int], mode: str) -> list[int]:
    """The speaking order: as they arrived, or shuffled so nobody is always first."""
    order = list(present_ids)
    if mode == LiveMeeting.OrderMode.SHUFFLE:
        random.SystemRandom().shuffle(order)
    return order


def current_phase(live: LiveMeeting) -> dict | None:
    if live.status in (Status.READY, Status.ENDED) or live.phase_index >= len(live.phases):
        return None
    return live.phases[live.phase_index]


def _start_slot(live: LiveMeeting, seconds: int, now: datetime) -> None:
    live.segment_seconds = seconds
    if live.status == Status.PAUSED:
        live.remaining_seconds = seconds
        live.segment_ends_at = None
    else:
        live.remaining_seconds = 0
        live.segment_ends_at = now + timedelta(seconds=seconds)


def enter_phase(live: LiveMeeting, index: int, now: datetime, present_ids: list[int]) -> None:
    if index >= len(live.phases):
        end(live, now)
        return
    phase = live.phases[index]
    live.phase_index = index
    live.speaker_index = 0
    live.order = arrange(present_ids, live.order_mode) if is_round(phase) else []
    _start_slot(live, phase["minutes"] * 60, now)


def start(live: LiveMeeting, phases: list[dict], now: datetime, present_ids: list[int]) -> None:
    live.status = Status.RUNNING
    live.phases = phases
    live.started_at = now
    live.ended_at = None
    enter_phase(live, 0, now, present_ids)


def next_speaker(live: LiveMeeting, now: datetime, present_ids: list[int]) -> None:
    """The next speaker of a round; after the last one (or in any other phase), the
    next phase; after the last phase, the end."""
    phase = current_phase(live)
    if phase is not None and is_round(phase) and live.speaker_index + 1 < len(live.order):
        live.speaker_index += 1
        _start_slot(live, phase["minutes"] * 60, now)
    else:
        enter_phase(live, live.phase_index + 1, now, present_ids)


def skip_phase(live: LiveMeeting, now: datetime, present_ids: list[int]) -> None:
    enter_phase(live, live.phase_index + 1, now, present_ids)


def pause(live: LiveMeeting, now: datetime) -> None:
    live.remaining_seconds = time_left(live, now)
    live.segment_ends_at = None
    live.status = Status.PAUSED


def resume(live: LiveMeeting, now: datetime) -> None:
    live.status = Status.RUNNING
    live.segment_ends_at = now + timedelta(seconds=live.remaining_seconds)
    live.remaining_seconds = 0


def extend(live: LiveMeeting, now: datetime) -> None:
    """One more minute for this slot (from now, if its time had already run out)."""
    live.segment_seconds += EXTENSION_SECONDS
    if live.status == Status.PAUSED:
        live.remaining_seconds += EXTENSION_SECONDS
    else:
        live.segment_ends_at = max(live.segment_ends_at or now, now) + timedelta(
            seconds=EXTENSION_SECONDS
        )


def end(live: LiveMeeting, now: datetime) -> None:
    """The end: the order (people's ids) is cleared, only the times remain."""
    live.status = Status.ENDED
    live.ended_at = now
    live.order = []
    live.speaker_index = 0
    live.segment_ends_at = None
    live.remaining_seconds = 0
    live.segment_seconds = 0


def add_to_round(live: LiveMeeting, user_id: int) -> bool:
    """A late arrival gets a turn at the end of the current round."""
    phase = current_phase(live)
    if phase is None or not is_round(phase) or user_id in live.order:
        return False
    live.order = [*live.order, user_id]
    return True


def drop_from_round(live: LiveMeeting, user_id: int) -> bool:
    """Someone who left before their turn is taken out of what is left of the round."""
    if user_id not in live.order[live.speaker_index + 1 :]:
        return False
    done = live.order[: live.speaker_index + 1]
    live.order = done + [uid for uid in live.order[len(done) :] if uid != user_id]
    return True
