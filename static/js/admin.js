// Django's admin, made to pass the same axe-core WCAG 2.1 AA check as the rest of the
// site (tests/browser/test_every_page.py). Loaded after the admin's own scripts.
"use strict";

function fixAdminAccessibility() {
    // The filter widgets' search icons carry an aria-label on a plain <span>: an
    // image with a name is what they are.
    document.querySelectorAll(".help-tooltip.search-label-icon").forEach((icon) => {
        icon.setAttribute("role", "img");
    });
    // A date and time pair (SplitDateTimeWidget) has one <label> for the field and a
    // bare "Date:" / "Time:" text before each input: each input gets a full name.
    document.querySelectorAll("p.datetime").forEach((pair) => {
        const label = pair.closest(".form-row, .fieldBox")?.querySelector("label");
        const name = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
        pair.querySelectorAll("input").forEach((input) => {
            if (input.labels.length === 0 && !input.hasAttribute("aria-label")) {
                const before = input.previousSibling;
                const part = before && before.nodeType === Node.TEXT_NODE
                    ? before.textContent.replace(/:\s*$/, "").trim() : "";
                input.setAttribute("aria-label", [name, part].filter(Boolean).join(", "));
            }
        });
    });
    // Tabular inlines name their inputs only by the column heading: each input gets
    // the heading and the row's number as its name.
    document.querySelectorAll(".tabular table").forEach((table) => {
        const headings = Array.from(table.querySelectorAll("thead th"));
        table.querySelectorAll("tbody tr").forEach((row, index) => {
            Array.from(row.cells).forEach((cell) => {
                const heading = headings[cell.cellIndex];
                cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((input) => {
                    if (heading && input.labels.length === 0 && !input.hasAttribute("aria-label")) {
                        input.setAttribute("aria-label", `${heading.textContent.trim()} ${index + 1}`);
                    }
                });
            });
        });
    });
}

// The admin's SelectFilter builds its widgets on "load"; run after it.
window.addEventListener("load", () => window.setTimeout(fixAdminAccessibility, 0));
