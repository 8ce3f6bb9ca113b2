/* An export job's page: while the workbook is waiting or being built, ask its status every 2 seconds
   and update the page in place; show the download link once it is ready. Without JavaScript the
   "reload the status" link does the same by hand. */
(function () {
  "use strict";

  var PERIOD_MS = 2000;
  var MAX_FAILURES = 5;
  var BADGES = { pending: "text-bg-secondary", building: "text-bg-info", ready: "text-bg-success", failed: "text-bg-danger" };

  function start(box) {
    var failures = 0;
    var url = box.getAttribute("data-status-url");

    function show(selector, visible) {
      var element = box.querySelector(selector);
      if (element) {
        element.hidden = !visible;
      }
    }

    function update(state) {
      box.setAttribute("data-state", state.status);
      var badge = box.querySelector('[data-export-field="status_label"]');
      badge.textContent = state.status_label;
      badge.className = "badge " + (BADGES[state.status] || "text-bg-light border");
      var done = state.status === "ready" || state.status === "failed";
      show("[data-export-progress]", !done);
      show("[data-export-reload]", !done);
      show("[data-export-failed]", state.status === "failed");
      if (state.status === "ready" && state.download_url) {
        var link = box.querySelector("[data-export-download]");
        link.setAttribute("href", state.download_url);
        link.hidden = false;
      }
      return done;
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (state) {
          failures = 0;
          if (!update(state)) {
            setTimeout(poll, PERIOD_MS);
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < MAX_FAILURES) {
            setTimeout(poll, PERIOD_MS * failures);
          }
        });
    }

    var state = box.getAttribute("data-state");
    if (state !== "ready" && state !== "failed") {
      setTimeout(poll, PERIOD_MS);
    }
  }

  document.querySelectorAll("[data-status-url]").forEach(start);
})();
