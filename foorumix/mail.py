"""Render and send an email in the recipient's language (plain text + HTML).

The subject and the plain-text body are not HTML: they are rendered without
autoescaping, so a forum called "A & B" is "A & B" there, not "A &amp; B". The HTML
part keeps Django's autoescaping. All three go through foorumix.text.normalise, so no
invisible or right-to-left control character from a forum name, theme or place reaches
a mail client.
"""

import secrets
from collections.abc import Hashable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from foorumix.text import normalise, normalise_line


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template with autoescaping off, also in the templates it includes."""
    template = engines["django"].get_template(template_name)
    # The backend's wrapper always autoescapes; the engine's own Template takes a
    # Context, whose autoescape setting {% include %} passes on.
    return template.template.render(Context(context, autoescape=False))


def render_parts(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of `template`: <template>_subject.txt, .txt and .html."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "language": language}
        subject = normalise_line(render_plain_text(f"{template}_subject.txt", context))
        text = normalise(render_plain_text(f"{template}.txt", context))
        html = normalise(render_to_string(f"{template}.html", context))
    return subject, text, html


def message_from_parts(to: str, parts: tuple[str, str, str]) -> EmailMultiAlternatives:
    subject, text, html = parts
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def build_message(
    *, to: str, template: str, context: dict, language: str
) -> EmailMultiAlternatives:
    """`template` names three templates: <template>_subject.txt, .txt and .html."""
    return message_from_parts(to, render_parts(template, context, language))


class SharedParts:
    """Renders once the messages of a batch that differ only in the recipient's first
    name (the `first_name` context variable), e.g. one meeting's reminder to its forum.

    The parts are rendered with a random placeholder for the first name, remembered under
    the caller's key (which must cover everything else the templates show) with the
    template, the language and whether there is a first name (the greeting differs), and
    the recipient's name is put in its place, normalised like the rest and escaped in
    the HTML part. Lives as long as one batch: nothing is kept between batches."""

    def __init__(self):
        # Letters and digits only: escaping and normalising leave it as it is, and no
        # forum name or theme can contain it by chance.
        self._slot = f"fxname{secrets.token_hex(12)}"
        self._parts: dict[Hashable, tuple[str, str, str]] = {}

    def build(
        self, *, to: str, template: str, context: dict, language: str, key: Hashable
    ) -> EmailMultiAlternatives:
        first_name = context.get("first_name") or ""
        parts_key = (template, language, bool(first_name), key)
        parts = self._parts.get(parts_key)
        if parts is None:
            shared = {**context, "first_name": self._slot if first_name else ""}
            parts = self._parts[parts_key] = render_parts(template, shared, language)
        subject, text, html = parts
        if first_name:
            name = normalise(first_name)
            subject = subject.replace(self._slot, normalise_line(name))
            text, html = text.replace(self._slot, name), html.replace(self._slot, escape(name))
        return message_from_parts(to, (subject, text, html))
