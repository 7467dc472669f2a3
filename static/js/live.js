// The live meeting: keeps the phase, speaker, order and time left current by polling
// the state endpoint (no content in it). Time left comes from the server each poll
// and is counted down locally in between, so every screen shows the same time.
// The facilitator view reloads when another window has changed the state, so its
// controls always act on the state it shows. Progressive enhancement only.
(function () {
  "use strict";
  var root = document.getElementById("live-state");
  if (!root) {
    return;
  }
  var POLL_MS = 3000;
  var url = root.dataset.stateUrl;
  var version = root.dataset.version;
  var timeEl = document.getElementById("live-time");
  var secondsLeft = parseInt(timeEl.dataset.seconds, 10) || 0;
  var running = timeEl.dataset.running === "true";
  var receivedAt = Date.now();

  function t(key, values) {
    var text = root.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1)] || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("%(" + name + ")s", values[name]);
    });
    return text;
  }

  function clock(total) {
    var s = Math.max(0, Math.round(total));
    var m = Math.floor(s / 60);
    var rest = s % 60;
    return m + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
    return el;
  }

  function tick() {
    var left = running ? secondsLeft - (Date.now() - receivedAt) / 1000 : secondsLeft;
    timeEl.textContent = clock(left);
    timeEl.classList.toggle("is-over", running && left <= 0);
  }

  function renderOrder(order) {
    var list = document.getElementById("live-order");
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    order.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = entry.name;
      item.className = "is-" + entry.state + (entry.me ? " is-me" : "");
      list.appendChild(item);
    });
    list.hidden = order.length === 0;
  }

  function renderMe(me) {
    var text = "";
    if (me && me.speaking) {
      text = t("speaking");
    } else if (me && me.done) {
      text = t("done");
    } else if (me) {
      text = t("before", { count: me.turns_before, time: clock(me.starts_in_seconds) });
    }
    var el = setText("live-me", text);
    el.classList.toggle("is-my-turn", !!(me && me.speaking));
  }

  function render(state) {
    var phase = state.phase;
    setText("live-progress", phase ? t("phase", { index: phase.index, count: phase.count }) : "");
    setText("live-phase", phase ? phase.title : t("nophase"));
    setText("live-status", t(state.status));
    setText("live-next", state.next_phase ? t("next", { title: state.next_phase }) : "");
    document.getElementById("live-speaker").hidden = !state.speaker;
    setText("live-speaker-name", state.speaker || "");
    document.querySelectorAll(".live-guidance").forEach(function (block) {
      block.hidden = !phase || block.dataset.kind !== phase.kind;
    });
    renderOrder(state.order);
    renderMe(state.me);
    secondsLeft = state.time_left;
    running = state.status === "running";
    receivedAt = Date.now();
    tick();
  }

  function poll() {
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (root.dataset.reloadOnChange === "true" && String(state.version) !== version) {
          window.location.reload();
          return;
        }
        version = String(state.version);
        render(state);
      })
      .catch(function () {
        // Offline for a moment: keep counting down and try again at the next poll.
      });
  }

  tick();
  poll();
  window.setInterval(tick, 1000);
  window.setInterval(poll, POLL_MS);
})();
