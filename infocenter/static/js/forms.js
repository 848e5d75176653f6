// Every form, enhanced (the forms work the same without this file; the server refuses replays):
// - a refused form's error summary takes the focus, and its links put the cursor in the field;
// - a form is sent once: a second Enter or click while it is being sent does nothing, and the
//   button is disabled meanwhile;
// - leaving a form that records something (it has a one-time token, or data-guard) with typed,
//   unsaved input asks first (the browser's own "leave site?" prompt).
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      var field = link && document.getElementById(link.dataset.field);
      if (!field) { return; }
      event.preventDefault();
      var target = field.matches("input, select, textarea") ? field : field.querySelector("input, select, textarea");
      (target || field).focus();
      (document.getElementById(link.dataset.field + "-group") || field).scrollIntoView({ block: "center" });
    });
  }

  var dirty = false;

  function guarded(form) {
    return form.hasAttribute("data-guard") || !!form.querySelector("input[name=form_token]");
  }

  document.querySelectorAll("form").forEach(function (form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (guarded(form)) {
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("change", function () { dirty = true; });
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      if (event.defaultPrevented) { return; }
      form.dataset.sending = "1";
      dirty = false;
      // Disabled after this turn, so the clicked button's own name and value are still sent.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(function (b) {
          b.disabled = true; b.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  });

  // Back to a page kept by the browser: the form can be sent again (the server answers a replay).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("[aria-disabled=true]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-disabled"); });
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their prompt
  });
})();

// A table wider than a phone scrolls sideways in its .table-responsive box: such a box takes the
// keyboard focus (Tab, then the arrow keys scroll it) when nothing inside it can.
(function () {
  "use strict";
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
      box.setAttribute("tabindex", "0");
    }
  });
})();
