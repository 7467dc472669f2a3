/* Foorumix, every page (loaded from base.html).
 *
 * 1. A form sent back with errors: a summary of the errors ("Check the following") is
 *    put at the top of the main content and focused, so screen reader and keyboard
 *    users learn at once that the form was not saved and what to fix. Each item links
 *    to its field. A page with an alert of its own keeps it and it gets the focus.
 *    Nothing in the form is touched: what the person typed stays.
 * 2. Otherwise, a message after an action ("Saved.") is focused, so screen readers read
 *    it out: they do not announce a live region that is already full on page load.
 *
 * The page works without this script; it only adds. No inline script (CSP).
 */
(function () {
  "use strict";

  var CONTROLS = "input:not([type=hidden]), select, textarea, button";

  function text(element) {
    return (element ? element.textContent : "").replace(/\s+/g, " ").trim();
  }

  function firstControl(element) {
    if (!element) return null;
    if (element.matches(CONTROLS)) return element;
    return element.querySelector(CONTROLS);
  }

  // The field an error list belongs to: Django names the list "<field id>_error";
  // other templates (allauth) put the list just before the field.
  function fieldOf(list) {
    var id = list.id && list.id.replace(/_error$/, "");
    var field = id && id !== list.id ? firstControl(document.getElementById(id)) : null;
    if (field) return field;
    var form = list.closest("form");
    if (!form) return null;
    var controls = form.querySelectorAll(CONTROLS);
    for (var i = 0; i < controls.length; i++) {
      if (list.compareDocumentPosition(controls[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return controls[i].matches("button") ? null : controls[i];
      }
    }
    return null;
  }

  function labelOf(field) {
    var group = field.closest("fieldset");
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    if (group && (field.type === "radio" || field.type === "checkbox") && group.querySelector("legend")) {
      label = group.querySelector("legend");
    }
    return text(label).replace(/[:*]\s*$/, "");
  }

  // [{message, field}]: first what concerns the whole form, then each field's errors
  // in page order, with groups marked invalid without a message of their own (the
  // pulse's questions) named by their legend.
  function collectErrors(main) {
    var general = [];
    var fields = [];
    main.querySelectorAll(".form-errors").forEach(function (box) {
      if (!box.querySelector(".errorlist") && text(box)) general.push({ message: text(box), field: null });
    });
    main.querySelectorAll("ul.errorlist").forEach(function (list) {
      var nonfield = list.classList.contains("nonfield");
      var field = nonfield ? null : fieldOf(list);
      list.querySelectorAll("li").forEach(function (item) {
        (nonfield ? general : fields).push({ message: text(item), field: field });
      });
    });
    main.querySelectorAll("fieldset[aria-invalid=true]").forEach(function (group) {
      if (!group.querySelector(".errorlist")) {
        fields.push({ message: "", field: firstControl(group), label: text(group.querySelector("legend")) });
      }
    });
    return general.concat(fields).filter(function (error) { return error.message || error.field; });
  }

  function summaryItem(error) {
    var item = document.createElement("li");
    var label = error.label || (error.field ? labelOf(error.field) : "");
    var wording = label && error.message ? label + ": " + error.message : label || error.message;
    if (!error.field || !error.field.id) {
      item.textContent = wording;
      return item;
    }
    var link = document.createElement("a");
    link.href = "#" + error.field.id;
    link.textContent = wording;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var target = error.field.closest("fieldset") || error.field;
      target.scrollIntoView({ block: "center" });
      error.field.focus({ preventScroll: true });
    });
    item.appendChild(link);
    return item;
  }

  function showErrorSummary() {
    var main = document.getElementById("main");
    var script = document.querySelector("script[data-error-summary-title]");
    if (!main || !script) return false;
    var errors = collectErrors(main);
    if (!errors.length) return false;
    // A page that says what went wrong itself (an alert, e.g. the poll form's notice)
    // keeps its own words; only the focus moves there.
    var summary = main.querySelector(".error-summary, [role=alert]");
    if (!summary) {
      summary = document.createElement("div");
      summary.className = "error-summary";
      summary.id = "error-summary";
      summary.setAttribute("role", "alert");
      summary.setAttribute("aria-labelledby", "error-summary-title");
      var heading = document.createElement("h2");
      heading.id = "error-summary-title";
      heading.textContent = script.getAttribute("data-error-summary-title");
      var list = document.createElement("ul");
      errors.forEach(function (error) { list.appendChild(summaryItem(error)); });
      summary.appendChild(heading);
      summary.appendChild(list);
      var messages = main.querySelector(":scope > .messages");
      main.insertBefore(summary, messages ? messages.nextSibling : main.firstChild);
    }
    summary.setAttribute("tabindex", "-1");
    summary.focus();
    return true;
  }

  // A live region announces changes, not what it held when the page loaded; a
  // message after an action is focused instead, which reads it out (as GOV.UK's
  // notification banner does). The page starts at the top anyway after a redirect.
  function focusMessages() {
    var region = document.querySelector("#main > .messages");
    if (!region) return;
    region.setAttribute("tabindex", "-1");
    // After "Saved" the address may lead to the part of the page saved (#commitment):
    // the view stays there.
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    region.focus({ preventScroll: Boolean(target) });
  }

  function start() {
    if (!showErrorSummary()) focusMessages();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
