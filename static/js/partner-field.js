// A partner chosen by typing (participants/partner_field.py). htmx fetches suggestions into
// the box after the text input; this script makes the input a combobox over them (WAI-ARIA
// 1.2 pattern): Down and Up move through the suggestions, Enter or a click chooses one,
// Escape closes them. Choosing fills the name and the hidden partner number; typing again
// forgets the choice. Without JavaScript none of this runs and the form works when sent.
(function () {
  "use strict";
  if (window.htmx) {
    // As the report page's settings: no inline styles (the CSP refuses them), no eval, no scripts.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }

  function setUp(field) {
    var input = field.querySelector("[data-partner-text]");
    var chosen = field.querySelector("[data-partner-chosen]");
    var list = document.getElementById(field.dataset.list);
    var status = field.querySelector("[data-partner-status]");
    if (!input || !chosen || !list || input.dataset.partnerReady) { return; }
    input.dataset.partnerReady = "1";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function close() {
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
        option.classList.toggle("active", i === active);
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      input.value = option.dataset.name;
      chosen.value = option.dataset.pk;
      field.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = false; });
      var candidates = field.querySelector("[data-partner-candidates]");
      if (candidates) { candidates.hidden = true; }
      var confirm = field.querySelector("[data-partner-confirm]");
      if (confirm) { confirm.hidden = true; }
      // The words come from the page, translated there: "Chosen: {name}".
      var words = status.dataset.chosen || "Chosen: {name}";
      status.textContent = words.replace("{name}", option.textContent.trim());
      close();
      input.focus();
    }

    input.addEventListener("htmx:configRequest", function (event) {
      event.detail.parameters.q = input.value;
      event.detail.parameters.scope = field.dataset.scope;
      event.detail.parameters.list = list.id;
    });
    input.addEventListener("input", function () {
      chosen.value = "";  // what is typed now decides, until a suggestion is chosen again
      var confirm = field.querySelector("[data-partner-confirm]");
      if (confirm) { confirm.hidden = true; }
    });
    list.addEventListener("htmx:afterSwap", function () {
      var count = options().length;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", count ? "true" : "false");
      if (count) {
        var box = list.querySelector("[role=listbox]");
        if (box) { input.setAttribute("aria-controls", box.id); }
      }
      var none = list.querySelector("[data-partner-none]");
      status.textContent = count === 0 ? (none ? none.textContent : "") :
        count === 1 ? "1 partner found. Use the down arrow to choose." :
        count + " partners found. Use the down and up arrows to choose.";
    });
    input.addEventListener("keydown", function (event) {
      var open = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" && open) { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp" && open) { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && open && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape" && open) { event.preventDefault(); close(); }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus in the box
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(option); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-partner-field]").forEach(setUp);
})();
