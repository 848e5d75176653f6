// The status page of a document made in the background: asks the JSON status every few seconds
// (the page refreshes itself instead without JavaScript), says a change of state in the polite
// live region, and loads the page again once the job is done or has failed (the download button
// or the reason then come from the server).
(function () {
  "use strict";

  var region = document.getElementById("job-status");
  if (!region || !window.fetch) { return; }
  var label = region.querySelector("[data-label]");
  var delay = 2000;

  function ask() {
    fetch(region.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job && (job.status === "done" || job.status === "failed")) {
          window.location.reload();
          return;
        }
        if (job && label && label.textContent !== job.label) { label.textContent = job.label; }
        delay = Math.min(delay * 1.5, 10000);
        window.setTimeout(ask, delay);
      })
      .catch(function () { window.setTimeout(ask, 10000); });
  }

  window.setTimeout(ask, delay);
})();
