from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foorumix.tokens import SecretLink
from members.models import Organisation

MAX_COORDINATORS = 4  # the lead coordinator and up to three co-coordinators


def parse_reminder_days(value: str) -> list[int]:
    """ "7,1" -> [7, 1]; raises ValueError on anything else."""
    days = sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
    if not days or any(day < 1 or day > 60 for day in days) or len(days) > 5:
        raise ValueError(value)
    return days


def validate_reminder_days(value: str) -> None:
    try:
        parse_reminder_days(value)
    except ValueError:
        raise ValidationError(
            _("Give up to five whole numbers of days between 1 and 60, separated by commas.")
        ) from None


class Forum(models.Model):
    """A closed peer-support group of supervisors."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        related_name="forums",
        verbose_name=_("organisations"),
        help_text=_("The workplaces the members come from; one or several."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=12,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text=_("Forums work best with 6–12 members."),
    )
    language = models.CharField(
        _("meeting language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_forums", verbose_name=_("coordinators")
    )
    reminder_days = models.CharField(
        _("reminders (days before)"),
        max_length=40,
        default="7,1",
        validators=[validate_reminder_days],
        help_text=_("Comma-separated days before each meeting, e.g. 7,1."),
    )
    note_retention_months = models.PositiveSmallIntegerField(
        _("keep session notes (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # The number of the agreement version members must have accepted; kept on the forum
    # so that "has this member accepted?" is a column comparison, not a subquery.
    agreement_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name

    STATUS_ORDER = [Status.FORMING, Status.ACTIVE, Status.CLOSED, Status.ARCHIVED]

    def allowed_statuses(self) -> list[str]:
        """A forum moves forward only: forming → active → closed → archived."""
        index = self.STATUS_ORDER.index(self.status)
        return [status.value for status in self.STATUS_ORDER[index:]]


class GroupAgreement(models.Model):
    """One version of a forum's group agreement. Versions are never edited."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    text = models.TextField(_("agreement text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["forum", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "version"], name="agreement_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.forum} v{self.version}"


def membership_is_active(through: str = "") -> Q:
    """The rule "the membership has not ended", also across a relation
    (`through="memberships__"`) for joins and conditional counts."""
    return Q(**{f"{through}ended_at__isnull": True})


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        """Memberships that have not ended: the people who belong to a forum now."""
        return self.filter(membership_is_active())

    def accepted(self) -> "MembershipQuerySet":
        """Active memberships whose member has accepted the forum's current agreement."""
        return self.active().filter(accepted_version__gte=models.F("forum__agreement_version"))


class Membership(models.Model):
    """A supervisor's membership. Ending it keeps the row (for aggregate statistics)."""

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left the forum")
        REMOVED = "removed", _("Removed by a coordinator")
        DELETED = "deleted", _("Account deleted")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    accepted_version = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["forum", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=membership_is_active(),
                name="membership_one_active_per_person",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.forum}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class AgreementAcceptance(models.Model):
    """When a person accepted which agreement version (the timestamped record)."""

    agreement = models.ForeignKey(
        GroupAgreement, on_delete=models.CASCADE, related_name="acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="acceptance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.agreement_id}"


def invitation_is_unanswered(through: str = "") -> Q:
    """Neither accepted nor revoked (possibly expired); also across a relation."""
    return Q(**{f"{through}accepted_at__isnull": True, f"{through}revoked_at__isnull": True})


def invitation_is_open(through: str = "") -> Q:
    """Unanswered and not expired: the link still works."""
    return invitation_is_unanswered(through) & Q(**{f"{through}expires_at__gt": timezone.now()})


class InvitationQuerySet(models.QuerySet):
    def unanswered(self) -> "InvitationQuerySet":
        return self.filter(invitation_is_unanswered())

    def open(self) -> "InvitationQuerySet":
        return self.filter(invitation_is_open())


class Invitation(SecretLink):
    """An emailed invitation to join a forum.

    The link's token is never stored: only its SHA-256 hash (for lookup) and a random
    128-bit nonce from which the token is derived with a key held outside the database
    (foorumix/tokens.py). Resending draws a new nonce, so old links stop working.
    """

    token_purpose = "invitation"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "forum",
                Lower("email"),
                condition=invitation_is_unanswered(),
                name="invitation_one_open_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.forum}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class AuditEvent(models.Model):
    """A security-relevant event: who did what to which object, and when.

    Never holds confidential content (no notes, no preparation, no absence notes);
    `detail` is limited to identifiers such as an invited address or a version number.
    """

    class Action(models.TextChoices):
        FORUM_CREATED = "forum_created", _("Forum created")
        FORUM_UPDATED = "forum_updated", _("Forum details changed")
        COORDINATOR_ADDED = "coordinator_added", _("Coordinator added")
        COORDINATOR_REMOVED = "coordinator_removed", _("Coordinator removed")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_RESENT = "invitation_resent", _("Invitation resent")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        MEMBERSHIP_ADDED = "membership_added", _("Member added")
        MEMBERSHIP_LEFT = "membership_left", _("Member left")
        MEMBERSHIP_REMOVED = "membership_removed", _("Member removed")
        AGREEMENT_PUBLISHED = "agreement_published", _("Group agreement version published")
        AGREEMENT_ACCEPTED = "agreement_accepted", _("Group agreement accepted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ACCOUNT_DELETED = "account_deleted", _("A member deleted their account")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["forum", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
