// Casework's only script. Loaded as a file (never inline) so the pages run under a strict
// Content-Security-Policy. Everything works without it; it only saves a click or two.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.documentElement.classList.add("js");

    // Selects marked data-autosubmit (the language switcher, filters) submit their form.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) select.form.requestSubmit();
      });
    });

    // Print buttons.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    // Fields shown only for some answers: data-show-when="<field name>=<value>[|<value>]".
    function applyConditions(root) {
      root.querySelectorAll("[data-show-when]").forEach(function (box) {
        var spec = box.getAttribute("data-show-when").split("=");
        var form = box.closest("form");
        if (!form) return;
        var wanted = spec[1].split("|");
        var inputs = form.querySelectorAll('[name="' + spec[0] + '"]');
        var value = "";
        inputs.forEach(function (input) {
          if (input.type === "checkbox") { if (input.checked) value = "on"; }
          else if (input.type === "radio") { if (input.checked) value = input.value; }
          else value = input.value;
        });
        box.hidden = wanted.indexOf(value) === -1;
      });
    }
    document.addEventListener("change", function () { applyConditions(document); });
    applyConditions(document);

    // After htmx swaps in a live score, announce nothing extra: the region is aria-live.
  });
})();
