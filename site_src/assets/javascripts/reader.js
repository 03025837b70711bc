/* The 大字 (large-text) switch: adds `fed-large` to <html> and remembers the choice in
   localStorage (no cookie). The header partial applies a remembered choice before first
   paint; this file only wires the button. ES5, for the older WebViews inside WeChat. */
(function () {
  "use strict";
  var KEY = "fed-large-text"; // also read by partials/fed-reader-toggle.html
  var root = document.documentElement;
  var buttons = document.querySelectorAll("[data-fed-reader-toggle]");

  function show(on) {
    root.classList.toggle("fed-large", on);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function remember(on) {
    try {
      if (on) {
        localStorage.setItem(KEY, "1");
      } else {
        localStorage.removeItem(KEY);
      }
    } catch (e) {
      // Private mode or storage switched off: the switch still works for this page.
    }
  }

  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () {
      var on = !root.classList.contains("fed-large");
      show(on);
      remember(on);
    });
  }
  show(root.classList.contains("fed-large"));
})();
