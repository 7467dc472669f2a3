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


def overflowing(page, limit: int = 4) -> str:
    """The page's width and the innermost elements that reach past the window's right
    edge (tag#id.class and their right edge), to say what made a page scroll sideways."""
    return page.evaluate(
        """(limit) => {
          const width = window.innerWidth;
          // Inside a scrolling box is fine, except for absolutely positioned content
          // whose containing block lies outside the box: it escapes the clipping.
          const clipped = el => {
            let escapes = getComputedStyle(el).position === 'absolute';
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
              const style = getComputedStyle(up);
              if (!escapes && style.overflowX !== 'visible') return true;
              if (style.position !== 'static') escapes = false;
            }
            return false;
          };
          const wide = [...document.body.querySelectorAll('*')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && Math.round(box.right) > width && !clipped(el);
          });
          const innermost = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
          const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + [...el.classList].map(c => '.' + c).join('');
          const where = innermost.slice(0, limit).map(
            el => `${name(el)} (${Math.round(el.getBoundingClientRect().right)}px)`);
          return `${document.documentElement.scrollWidth}px wide; ${where.join(', ')}`;
        }""",
        limit,
    )


def focused(page) -> str:
    """The focused element, as tag#id.class."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.tagName.toLowerCase()"
        " + (e.id ? '#' + e.id : '') + [...e.classList].map(c => '.' + c).join(''); }"
    )
