// Keeps the import page's progress bar up to date while a worker imports the file, and
// reloads the page once it is finished. Without JavaScript the "Check again" link does it.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || !box.dataset.statusUrl) { return; }
  function check() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        if (status.finished) { window.location.reload(); return; }
        var bar = box.querySelector("progress");
        var text = box.querySelector("[data-progress-text]");
        if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
        if (text) { text.textContent = status.done + " of " + status.total + " rows"; }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 2000);
})();
