"""axe-core (through axe-playwright-python, which bundles it) on a browser page: the
WCAG 2.1 A and AA rules, the check the accessibility statement reports."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_AXE = Axe()


def violations(page) -> list[str]:
    """The rule ids axe-core finds violated on the page as it is now, with their targets."""
    results = _AXE.run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]})
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


def fits_phone(page) -> bool:
    """Whether the page fits its viewport's width (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
