// Session-notes editor, progressive enhancement only: the page works without it.
// - Once the text changes after a check, the highlighted preview no longer matches it:
//   say so, and fade the preview.
// - Warn before leaving the page with unsaved changes.
(function () {
  "use strict";
  var form = document.getElementById("note-editor");
  if (!form) {
    return;
  }
  var textarea = form.querySelector("textarea[name=text]");
  var hint = document.getElementById("note-stale-hint");
  var preview = document.getElementById("note-preview");
  if (!textarea) {
    return;
  }
  var original = textarea.value;
  // After a check or a replacement the text in the box has not been saved yet.
  var unsaved = form.dataset.unsaved === "true";
  var submitting = false;

  textarea.addEventListener("input", function () {
    var changed = textarea.value !== original;
    if (form.dataset.checked === "true" && hint) {
      hint.hidden = !changed;
    }
    if (preview) {
      preview.classList.toggle("is-stale", changed);
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (unsaved || textarea.value !== original)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
