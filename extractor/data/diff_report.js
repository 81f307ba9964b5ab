// vanban diff report: inlined by extractor/diff/html.py and allowed by its CSP hash.
// Navigation between changes (buttons, keys n/p), a filter hiding kept blocks (h),
// and folding of kept blocks. It reads only the DOM: no data, no network.
(function () {
  "use strict";
  var body = document.body;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".row"));
  var changes = rows.filter(function (row) { return row.getAttribute("data-status") !== "kept"; });
  var pos = -1;
  var counter = document.getElementById("nav-pos");
  var hideKept = document.getElementById("hide-kept");

  function setCounter() {
    if (!counter) { return; }
    if (!changes.length) { counter.textContent = "no changes"; return; }
    counter.textContent = (pos < 0 ? "–" : String(pos + 1)) + " / " + String(changes.length);
  }

  function go(index) {
    if (!changes.length) { return; }
    if (pos >= 0) { changes[pos].classList.remove("current"); }
    pos = (index % changes.length + changes.length) % changes.length;
    var row = changes[pos];
    row.classList.add("current");
    row.scrollIntoView({ block: "center", behavior: "auto" });
    setCounter();
  }

  function next() { go(pos + 1); }
  function prev() { go(pos < 0 ? changes.length - 1 : pos - 1); }

  function setHideKept(on) {
    body.classList.toggle("hide-kept", on);
    if (hideKept) { hideKept.checked = on; }
  }

  function toggleFold(row) {
    var folded = row.classList.toggle("folded");
    var button = row.querySelector(".fold");
    if (button) {
      button.textContent = folded ? "show" : "fold";
      button.setAttribute("aria-expanded", folded ? "false" : "true");
    }
  }

  var nextButton = document.getElementById("next-change");
  var prevButton = document.getElementById("prev-change");
  if (nextButton) { nextButton.addEventListener("click", next); }
  if (prevButton) { prevButton.addEventListener("click", prev); }
  if (hideKept) {
    hideKept.addEventListener("change", function () { setHideKept(hideKept.checked); });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".fold"), function (button) {
    button.addEventListener("click", function () {
      var row = button.closest(".row");
      if (row) { toggleFold(row); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-jump]"), function (button) {
    button.addEventListener("click", function () {
      var status = button.getAttribute("data-jump");
      for (var i = 0; i < changes.length; i += 1) {
        if (changes[i].getAttribute("data-status") === status) { go(i); return; }
      }
      var kept = rows.filter(function (row) { return row.getAttribute("data-status") === status; });
      if (kept.length) {
        setHideKept(false);
        kept[0].scrollIntoView({ block: "center", behavior: "auto" });
      }
    });
  });

  var fullValues = document.getElementById("full-values");
  var fields = document.getElementById("fields");
  if (fullValues && fields) {
    fullValues.addEventListener("click", function () {
      var full = fields.classList.toggle("full-values");
      fullValues.setAttribute("aria-pressed", full ? "true" : "false");
      fullValues.textContent = full ? "short values" : "full values";
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && ((target.tagName === "INPUT" && target.type !== "checkbox") ||
      target.tagName === "TEXTAREA" || target.isContentEditable);
    if (typing) {
      return;
    }
    if (event.key === "n" || event.key === "j") { next(); event.preventDefault(); }
    else if (event.key === "p" || event.key === "k") { prev(); event.preventDefault(); }
    else if (event.key === "h") { setHideKept(!body.classList.contains("hide-kept")); event.preventDefault(); }
  });

  setCounter();
}());
