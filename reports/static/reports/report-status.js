/* A report being drafted: ask its status every 3 seconds and reload the page once it is ready or failed.
   Without JavaScript, the page's "Reload the status" link does the same by hand. */
(function () {
  "use strict";

  var PERIOD_MS = 3000;
  var WAITING = ["pending", "rendering", "stalled"];

  function watch(box) {
    var failures = 0;
    function ask() {
      fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (state) {
          if (WAITING.indexOf(state.status) === -1) {
            window.location.reload();
            return;
          }
          window.setTimeout(ask, PERIOD_MS);
        })
        .catch(function () {
          failures += 1;
          if (failures < 5) {
            window.setTimeout(ask, PERIOD_MS);
          }
        });
    }
    window.setTimeout(ask, PERIOD_MS);
  }

  function start() {
    document.querySelectorAll("[data-report-status]").forEach(function (box) {
      if (WAITING.indexOf(box.getAttribute("data-state")) !== -1) {
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
