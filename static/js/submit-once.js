/* Forms marked data-submit-once: the first submission disables their submit buttons, so a second click
   while the page loads cannot send the same request again (a signature, for one). */
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
