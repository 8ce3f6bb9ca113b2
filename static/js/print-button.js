/* "Print" buttons: a button marked data-print-button stays hidden without JavaScript (it could do
   nothing); with it, the button is shown and opens the browser's print dialog for the page. */
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("[data-print-button]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
