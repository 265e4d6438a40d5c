// The print pages' 打印 button: the browser's own print dialog. A static file, not an inline
// handler: the CSP forbids inline script.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
