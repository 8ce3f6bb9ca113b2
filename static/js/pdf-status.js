/* The live status of a pact's PDF on the pact page: while a job waits or renders, ask its status
   every 3 seconds and update the panel in place; reveal the download and print links once it is
   ready. Without JavaScript the panel's "reload the status" link does the same by hand. */
(function () {
  "use strict";

  var PERIOD_MS = 3000;
  var MAX_FAILURES = 5;
  // A stalled job is given back to a worker by the sweep: keep asking.
  var WAITING = ["pending", "rendering", "stalled"];
  // The same map as pacts/templatetags/pdf_tags.py BADGES.
  var BADGES = {
    pending: "text-bg-secondary",
    rendering: "text-bg-info",
    ready: "text-bg-success",
    failed: "text-bg-danger",
    stalled: "text-bg-warning"
  };

  function field(box, name) {
    return box.querySelector('[data-pdf-field="' + name + '"]');
  }

  function setText(box, name, value) {
    var element = field(box, name);
    if (element && value !== undefined && value !== null) {
      element.textContent = String(value);
    }
  }

  function show(element, visible) {
    if (element) {
      element.hidden = !visible;
    }
  }

  function update(box, state) {
    box.setAttribute("data-state", state.status);
    setText(box, "status_label", state.status_label);
    setText(box, "version", state.version);
    setText(box, "attempts", state.attempts);
    show(field(box, "attempts_line"), state.attempts > 0);
    var badge = field(box, "status_label");
    if (badge) {
      badge.className = "badge " + (BADGES[state.status] || "text-bg-light border");
    }
    if ("last_error" in state) {
      setText(box, "last_error", state.last_error || "—");
    }
    if ("reason" in state) {
      setText(box, "reason", state.reason || "—");
    }
    show(box.querySelector("[data-pdf-failed]"), state.status === "failed");
    show(box.querySelector("[data-pdf-stalled]"), state.status === "stalled");
    show(box.querySelector("[data-pdf-reload]"), false);
    if (state.status === "ready" && state.download_url) {
      box.querySelectorAll("[data-pdf-link]").forEach(function (link) {
        var download = link.getAttribute("data-pdf-link") === "download";
        link.setAttribute("href", state.download_url + (download ? "?download=1" : ""));
      });
      setText(box, "ready_version", state.version);
      show(box.querySelector("[data-pdf-ready]"), true);
    }
  }

  function watch(box) {
    var url = box.getAttribute("data-status-url");
    var failures = 0;

    function ask() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (state) {
          failures = 0;
          update(box, state);
          if (WAITING.indexOf(state.status) !== -1) {
            window.setTimeout(ask, PERIOD_MS);
          }
        })
        .catch(function () {
          // A dropped connection or an expired session: try a few more times, then leave the link.
          failures += 1;
          if (failures < MAX_FAILURES) {
            window.setTimeout(ask, PERIOD_MS * (failures + 1));
          } else {
            show(box.querySelector("[data-pdf-reload]"), true);
          }
        });
    }

    show(box.querySelector("[data-pdf-reload]"), false);
    window.setTimeout(ask, PERIOD_MS);
  }

  function start() {
    document.querySelectorAll("[data-pdf-status]").forEach(function (box) {
      if (WAITING.indexOf(box.getAttribute("data-state")) !== -1 && window.fetch) {
        watch(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
