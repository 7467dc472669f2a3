"""The anonymous pulse after a held meeting.

A receipt says that a person may answer (and whether they have); the answers are stored
in two tables with no link to the receipt or to each other: one for the forum's
coordinators (forum, day) and one for HR (organisation, unit, month). Answer rows have
random primary keys and no timestamps finer than the day, so neither the id sequence
nor the time joins them back to a person. An answer first waits, encrypted, as
StagedPulseAnswer rows; they reach the answer tables in batches, each table in its own
random order (sessions_app/pulse/services.py), so neither the order of the rows nor the
order of the receipts' updates pairs them either.
"""

import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from foorumix.crypto import EncryptedTextField
from foorumix.tokens import SecretLink
from forums.models import Forum
from members.models import Organisation, Unit
from sessions_app.models.meetings import Meeting

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Question(NamedTuple):
    name: str  # the score column on both answer tables
    text: Promise  # as asked in the pulse form
    short: Promise  # as a column heading in results


# The pulse's questions: the one list that forms, results, HR figures and the demo read.
# Each name is a score column of PulseScores below (tests check that the two agree).
PULSE_QUESTIONS = (
    Question("useful", _("How useful was the meeting for you?"), _("Meeting was useful")),
    Question("safe_place", _("Did the forum feel like a safe place?"), _("A safe place")),
    Question(
        "important_to_group", _("Do you feel important to the group?"), _("Important to the group")
    ),
    Question(
        "helps_coping", _("Has the forum helped your coping at work?"), _("Helps coping at work")
    ),
)
PULSE_QUESTION_NAMES = tuple(question.name for question in PULSE_QUESTIONS)


class PulseReceipt(SecretLink):
    """An attendee's one-time pulse link for a meeting, and whether it was used."""

    token_purpose = "pulse"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pulse_receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="pulse_once")]

    def __str__(self) -> str:
        return f"receipt {self.pk}"


class PulseScores(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    useful = models.PositiveSmallIntegerField(validators=SCORE)
    safe_place = models.PositiveSmallIntegerField(validators=SCORE)
    important_to_group = models.PositiveSmallIntegerField(validators=SCORE)
    helps_coping = models.PositiveSmallIntegerField(validators=SCORE)

    class Meta:
        abstract = True


class ForumPulseAnswer(PulseScores):
    """For the forum's coordinators: which forum, which day."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField()

    def __str__(self) -> str:
        return "forum pulse answer"


class OrganisationPulseAnswer(PulseScores):
    """For HR aggregates: which organisation and unit, which month (first day)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, related_name="+")
    month = models.DateField()

    def __str__(self) -> str:
        return "organisation pulse answer"


class StagedPulseAnswer(models.Model):
    """One row of an answer table, waiting until its batch is complete.

    Holds no user, no receipt, no forum or organisation in the clear: a random id, the
    day from which the batch may be written and the row's content as encrypted JSON (of
    one length for every row). Written with the receipt's claim, deleted when the row
    reaches its answer table (sessions_app/pulse/services.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    release_on = models.DateField(db_index=True)
    payload = EncryptedTextField()

    def __str__(self) -> str:
        return "staged pulse answer"
