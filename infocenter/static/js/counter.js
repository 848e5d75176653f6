// The counter form, enhanced: Enter on a list saves (Enter in the entries box too, unless an
// arrow key chose a suggestion), the fee is shown as it is typed, and the
// "entries consulted" field suggests index entries from /api/v1/documents. Without this file
// the form works the same (type reference numbers or #ids; the fee is computed when saved).
(function () {
  "use strict";
  var form = document.querySelector("form[data-counter-form]");
  if (!form) { return; }

  // Enter on a <select> saves the visit, like Enter in a text box (keyboard-first desk).
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "SELECT" && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });

  // --- fee preview -------------------------------------------------------------------------
  var rates = {}, certify = 0;
  document.querySelectorAll("#fee-table tr[data-rate-id]").forEach(function (row) {
    var satang = parseInt(row.dataset.satang, 10) || 0;
    if (row.dataset.kind === "certify") { certify = certify || satang; } else { rates[row.dataset.rateId] = satang; }
  });
  var output = document.getElementById("fee-preview");
  function number(name) {
    var el = form.elements[name];
    var value = el ? parseInt(String(el.value).replace(/[๐-๙]/g, function (d) { return "๐๑๒๓๔๕๖๗๘๙".indexOf(d); }), 10) : 0;
    return isNaN(value) || value < 0 ? 0 : value;
  }
  function updateFee() {
    if (!output) { return; }
    var copied = number("pages_copied"), certified = number("pages_certified");
    var paper = form.elements.fee_rate_id ? form.elements.fee_rate_id.value : "";
    var satang = copied * (rates[paper] || 0) + certified * certify;
    var waived = form.elements.fee_waived && form.elements.fee_waived.checked;
    // The words come from the page (data-* attributes on <output>), in the page's language.
    var words = output.dataset;
    var amount = (satang / 100).toLocaleString(words.locale || "th-TH", { minimumFractionDigits: 2 });
    output.textContent = (words.amount || "{amount}").replace("{amount}", amount) +
      (waived && satang ? " " + (words.waived || "") : "") + (certified > copied ? " — " + (words.over || "") : "");
  }
  ["pages_copied", "pages_certified", "fee_rate_id", "fee_waived"].forEach(function (name) {
    var el = form.elements[name];
    if (el) { el.addEventListener("input", updateFee); el.addEventListener("change", updateFee); }
  });
  updateFee();

  // --- autocomplete of index entries --------------------------------------------------------
  var input = form.elements.entries;
  var list = document.getElementById("entry-suggestions");
  if (!input || !list) { return; }
  var endpoint = input.dataset.autocomplete;
  var timer = null, active = -1, items = [], lastQuery = "";

  function currentToken() {
    var parts = input.value.split(/[,;]/);
    return parts[parts.length - 1].trim();
  }
  function close() {
    list.classList.add("d-none"); list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function choose(index) {
    var item = items[index];
    if (!item) { return; }
    var parts = input.value.split(/[,;]/);
    parts[parts.length - 1] = " #" + item.id;
    input.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
    close();
    input.focus();
  }
  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (o, i) { o.classList.toggle("active", i === index); o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", "entry-option-" + index); } else { input.removeAttribute("aria-activedescendant"); }
  }
  function show(found) {
    items = found.slice(0, 8);
    list.innerHTML = "";
    if (!items.length) { close(); return; }
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.className = "list-group-item list-group-item-action";
      li.setAttribute("role", "option");
      li.id = "entry-option-" + i;
      li.textContent = "#" + item.id + " " + (item.ref ? item.ref + " — " : "") + item.title + (item.category ? " [" + item.category + "]" : "");
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.classList.remove("d-none");
    input.setAttribute("aria-expanded", "true");
    // Nothing is chosen until the arrow keys say so: Enter keeps what was typed and saves.
    highlight(-1);
  }
  function lookup() {
    var q = currentToken();
    if (q.length < 2 || q.charAt(0) === "#" || q === lastQuery) { if (q.length < 2) { close(); } return; }
    lastQuery = q;
    fetch(endpoint + "?per_page=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { if (currentToken() === q) { show(data.items || []); } })
      // No search API (yet): typing reference numbers or #ids still works; the server resolves them.
      .catch(function () { close(); });
  }
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-expanded", "false");
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 200); });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.addEventListener("keydown", function (event) {
    if (!items.length) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
    else if (event.key === "Enter") { close(); }  // no suggestion chosen: the form saves what was typed
    else if (event.key === "Escape") { close(); }
  });
})();
