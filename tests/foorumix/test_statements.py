"""The privacy notice and the accessibility statement: public, in fi/sv/en, with the
operator's contact details from settings, linked from every page's footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADINGS = {
    "privacy_notice": {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning",
                       "en": "Privacy notice"},
    "accessibility_statement": {"fi": "Saavutettavuusseloste", "sv": "Tillgänglighetsutlåtande",
                                "en": "Accessibility statement"},
}  # fmt: skip


@pytest.mark.parametrize("name", HEADINGS)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_statement_is_public_and_written_in_each_language(client, settings, name, language):
    settings.FOORUMIX_OPERATOR_NAME = "Esimerkkikunta"
    settings.FOORUMIX_OPERATOR_EMAIL = "tietosuoja@esimerkkikunta.fi"
    settings.FOORUMIX_ACCESSIBILITY_EMAIL = "saavutettavuus@esimerkkikunta.fi"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{HEADINGS[name][language]}</h1>" in html
    assert "Esimerkkikunta" in html
    expected = "tietosuoja@" if name == "privacy_notice" else "saavutettavuus@"
    assert f"mailto:{expected}esimerkkikunta.fi" in html
    other = [h for code, h in HEADINGS[name].items() if code != language]
    assert not any(f"<h1>{heading}</h1>" in html for heading in other)


def test_the_accessibility_statement_reports_the_automated_checks(client):
    html = client.get(reverse("accessibility_statement"), HTTP_ACCEPT_LANGUAGE="fi").content
    text = html.decode()
    assert "axe-core" in text and "WCAG 2.1" in text and "390" in text


def test_the_retention_times_in_the_notice_follow_the_settings(client, settings):
    settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS = 18
    html = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "18 kuukauteen" in html


def test_every_page_links_both_statements_in_its_footer(client, member):
    def footer_of(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        return html[html.index('<footer class="site-footer">') :]

    footers = [footer_of(reverse("account_login"))]
    client.force_login(member)
    footers += [footer_of(reverse(name)) for name in ("home", "notification_settings", "my_data")]
    for footer in footers:
        assert reverse("privacy_notice") in footer and reverse("accessibility_statement") in footer
