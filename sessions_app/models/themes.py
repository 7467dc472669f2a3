from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from forums.models import Forum


class Theme(models.Model):
    """A discussion theme: from the shared library (forum is null) or proposed by a
    member for their forum."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="themes"
    )
    title_fi = models.CharField(_("title (Finnish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    description_fi = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title_fi", "title_en"]

    def __str__(self) -> str:
        return self.title

    def _localised(self, field: str) -> str:
        language = translation.get_language() or "fi"
        order = [language, "fi", "en", "sv"]
        for code in order:
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return value
        return ""

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def description(self) -> str:
        return self._localised("description")


class ThemeVote(models.Model):
    """One member's vote for a theme in their forum; one vote per theme per member."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="theme_votes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "theme", "user"], name="theme_vote_once")
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"
