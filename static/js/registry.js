// Registry import/export pages: move the progress bar of a running job, and reload the page when
// its status changes (the server then renders the preview, the result or the failure).
// Plain JavaScript, no library: county networks are often closed to CDNs.
(function () {
  "use strict";

  var INTERVAL = 1000;
  var MAX_INTERVAL = 10000;

  function show(box, data) {
    var bar = box.querySelector("[data-progress-bar]");
    var label = box.querySelector("[data-progress-label]");
    var stage = box.querySelector("[data-progress-stage]");
    var count = box.querySelector("[data-progress-count]");
    var track = box.querySelector("[role=progressbar]");
    label.textContent = data.status_label;
    stage.textContent = data.stage || "";
    if (data.total > 0) {
      bar.classList.remove("w-100");
      bar.style.width = data.percent + "%";
      bar.textContent = data.percent + "%";
      track.setAttribute("aria-valuenow", String(data.percent));
      count.textContent = data.done + " / " + data.total;
    }
  }

  function follow(box) {
    // The first width comes from the page (a style attribute would break the CSP).
    var bar = box.querySelector("[data-progress-bar]");
    if (bar && !bar.classList.contains("w-100")) {
      bar.style.width = bar.getAttribute("data-percent") + "%";
    }
    var url = box.getAttribute("data-progress-url");
    var status = box.getAttribute("data-status");
    var delay = INTERVAL;

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (data.status !== status) {
            window.location.reload();
            return;
          }
          show(box, data);
          delay = INTERVAL;
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          // A lost connection or a restarting server: keep trying, less often.
          delay = Math.min(delay * 2, MAX_INTERVAL);
          window.setTimeout(poll, delay);
        });
    }

    window.setTimeout(poll, delay);
  }

  // An annotated copy still being built after the preview: reload when the server has it.
  function awaitCopy(note) {
    var url = note.getAttribute("data-annotating");
    var file = Number(note.getAttribute("data-file"));
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.annotated_files.indexOf(file) >= 0) {
            window.location.reload();
            return;
          }
          window.setTimeout(poll, 3 * INTERVAL);
        })
        .catch(function () { window.setTimeout(poll, MAX_INTERVAL); });
    }
    poll();
  }

  document.querySelectorAll("[data-progress-url]").forEach(follow);
  document.querySelectorAll("[data-annotating]").forEach(awaitCopy);
})();
