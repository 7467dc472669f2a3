"""Render and send an email in the recipient's language (plain text + HTML).

The subject and the plain-text body are not HTML: they are rendered without
autoescaping, so a forum called "A & B" is "A & B" there, not "A &amp; B". The HTML
part keeps Django's autoescaping. All three go through foorumix.text.normalise, so no
invisible or right-to-left control character from a forum name, theme or place reaches
a mail client.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import translation

from foorumix.text import normalise, normalise_line


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template with autoescaping off, also in the templates it includes."""
    template = engines["django"].get_template(template_name)
    # The backend's wrapper always autoescapes; the engine's own Template takes a
    # Context, whose autoescape setting {% include %} passes on.
    return template.template.render(Context(context, autoescape=False))


def build_message(
    *, to: str, template: str, context: dict, language: str
) -> EmailMultiAlternatives:
    """`template` names three templates: <template>_subject.txt, .txt and .html."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "language": language}
        subject = normalise_line(render_plain_text(f"{template}_subject.txt", context))
        text = normalise(render_plain_text(f"{template}.txt", context))
        html = normalise(render_to_string(f"{template}.html", context))
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message
