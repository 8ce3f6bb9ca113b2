// The live board (pacts/templates/pacts/board.html): asks for the board's state about every second, with the
// version it holds as If-None-Match, so that an unchanged state costs a 304 with no body. When the server does
// not answer (the connection dropped, the portal restarting) it tries again, waiting longer each time up to a
// few seconds, and says discreetly that it is reconnecting; when the link expires or is revoked it says so.
(function () {
  "use strict";

  var body = document.body;
  var stateUrl = body.getAttribute("data-state-url");
  if (!stateUrl) {
    return;
  }
  var POLL_MS = 1000;
  var DONE_POLL_MS = 10000;
  var MAX_BACKOFF_MS = 4000;
  var TIMEOUT_MS = 5000;
  var etag = body.getAttribute("data-version") ? '"' + body.getAttribute("data-version") + '"' : "";
  var status = body.getAttribute("data-status");
  var failures = 0;
  var timer = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(id, text) {
    var element = byId(id);
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(id, visible) {
    var element = byId(id);
    if (element) {
      element.hidden = !visible;
    }
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  // The same markup as pacts.templatetags.board_rows.board_units writes.
  function unitItem(unit) {
    var item = document.createElement("li");
    item.className = "board-unit" + (unit.signed ? " is-signed" : "") + (unit.next ? " is-next" : "") +
      (unit.after ? " is-after" : "");
    item.setAttribute("data-unit", String(unit.id));
    if (unit.next) {
      item.setAttribute("aria-current", "step");
    }
    item.appendChild(span("board-unit-position", String(unit.position)));
    item.appendChild(span("board-unit-name", unit.name));
    var detail = span("board-unit-detail", "");
    if (unit.signed) {
      detail.appendChild(span("board-unit-signer", unit.signer));
      detail.appendChild(document.createTextNode(" "));
      detail.appendChild(span("board-unit-time", unit.time));
    } else if (unit.after) {
      detail.textContent = body.getAttribute("data-label-after");
    } else if (unit.next) {
      detail.textContent = body.getAttribute("data-label-next");
    } else {
      detail.textContent = body.getAttribute("data-label-pending");
    }
    item.appendChild(detail);
    return item;
  }

  function render(state) {
    status = state.status;
    body.setAttribute("data-status", status);
    body.setAttribute("data-version", state.version);
    setText("board-signed", String(state.signed));
    setText("board-total", String(state.total));
    setText("board-next-name", state.next);
    show("board-next", Boolean(state.next));
    var list = byId("board-units");
    var items = document.createDocumentFragment();
    state.units.forEach(function (unit) {
      items.appendChild(unitItem(unit));
    });
    list.replaceChildren(items);
    var executed = status === "executed";
    body.classList.toggle("is-executed", executed);
    show("board-live", !executed && status !== "withdrawn");
    show("board-withdrawn", status === "withdrawn");
    show("board-done", executed);
    if (executed && state.summary) {
      setText("board-done-signed", String(state.signed));
      setText("board-done-total", String(state.total));
      setText("board-done-at", state.executed_at);
      setText("board-verify-url", state.summary.verification_url);
      setText("board-verify-code", state.summary.verification_code);
      var qr = byId("board-verify-qr");
      if (qr.getAttribute("src") !== state.summary.qr) {
        qr.setAttribute("src", state.summary.qr);
      }
      qr.hidden = false;
    }
  }

  function connected() {
    failures = 0;
    show("board-reconnecting", false);
    body.removeAttribute("data-reconnecting");
  }

  function lost() {
    failures += 1;
    show("board-reconnecting", true);
    body.setAttribute("data-reconnecting", "true");
  }

  function gone() {
    show("board-live", false);
    show("board-done", false);
    show("board-reconnecting", false);
    show("board-gone", true);
    body.setAttribute("data-status", "gone");
  }

  function nextDelay() {
    if (failures > 0) {
      // 0.5 s, 1 s, 2 s, then 4 s at most, each give or take a quarter, so that boards do not knock together.
      var backoff = Math.min(500 * Math.pow(2, failures - 1), MAX_BACKOFF_MS);
      return backoff * (0.75 + Math.random() * 0.5);
    }
    return status === "executed" || status === "withdrawn" ? DONE_POLL_MS : POLL_MS;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function poll() {
    var controller = new AbortController();
    var abort = setTimeout(function () {
      controller.abort();
    }, TIMEOUT_MS);
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(stateUrl, { cache: "no-store", credentials: "omit", headers: headers, signal: controller.signal })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (response.status === 404 || response.status === 410) {
          return "gone";
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        etag = response.headers.get("ETag") || "";
        return response.json();
      })
      .then(function (state) {
        clearTimeout(abort);
        if (state === "gone") {
          gone();
          return;
        }
        if (state) {
          render(state);
        }
        connected();
        schedule(nextDelay());
      })
      .catch(function () {
        clearTimeout(abort);
        lost();
        schedule(nextDelay());
      });
  }

  // Back on the network, or the tab shown again: ask at once rather than at the end of a backoff.
  window.addEventListener("online", function () {
    if (body.getAttribute("data-status") !== "gone") {
      schedule(0);
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && body.getAttribute("data-status") !== "gone") {
      schedule(0);
    }
  });
  schedule(POLL_MS);
})();
