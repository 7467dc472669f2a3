// Copy buttons, progressive enhancement only: without JavaScript the button stays hidden
// and the read-only field can still be selected and copied by hand.
// Markup: <input id="X" readonly>
//   <span hidden><button type="button" data-copy="X" data-copy-status="S"
//     data-copied="Copied" data-copy-failed="…"></span>  (a button's CSS display
//   would override its own hidden attribute, so a plain wrapper carries it)
//   <span id="S" role="status"></span>
(function () {
  "use strict";
  function announce(status, text) {
    if (!status) {
      return;
    }
    // Emptied first, so saying the same thing twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field) {
      return;
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    var holder = button.closest("[hidden]");
    if (holder) {
      holder.hidden = false;
    }
    button.addEventListener("click", function () {
      var copied = function () {
        field.select();
        announce(status, button.dataset.copied);
      };
      var fallback = function () {
        if (copyBySelection(field)) {
          copied();
        } else {
          announce(status, button.dataset.copyFailed);
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, fallback);
      } else {
        fallback();
      }
    });
  });
})();
