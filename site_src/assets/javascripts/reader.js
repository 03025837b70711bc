/* The reader's settings (适老化): text size in three steps and a high-contrast scheme, kept in
   localStorage (no cookie). main.html applies a remembered choice in the head before first
   paint; this file wires the header button, its panel, and the phone menu's button for the
   keyboard. ES5, for the older WebViews inside WeChat. */
(function () {
  "use strict";
  // Also read by the inline script in main.html; fed-large-text is the old one-step setting.
  var SIZE_KEY = "fed-text-size";
  var OLD_KEY = "fed-large-text";
  var CONTRAST_KEY = "fed-contrast";
  // The header button: A+ over 大字 while nothing is on; else ✓ over what is (two lines, so it
  // stays narrow enough for the site's name beside it).
  var LABELS = ["大字", "大字", "特大"];
  var root = document.documentElement;
  var toggles = document.querySelectorAll("[data-fed-reader-toggle]");
  var panel = document.getElementById("fed-reader-panel");
  var steps = document.querySelectorAll("[data-fed-text-step]");
  var contrastButtons = document.querySelectorAll("[data-fed-contrast]");

  function has(name) {
    return (" " + root.className + " ").indexOf(" " + name + " ") >= 0;
  }

  function set(name, on) {
    if (on && !has(name)) {
      root.className += " " + name;
    } else if (!on && has(name)) {
      root.className = (" " + root.className + " ").replace(" " + name + " ", " ").replace(/^\s+|\s+$/g, "");
    }
  }

  function currentStep() {
    return has("fed-xlarge") ? 2 : has("fed-large") ? 1 : 0;
  }

  function store(key, value) {
    try {
      if (value) {
        localStorage.setItem(key, value);
      } else {
        localStorage.removeItem(key);
      }
    } catch (e) {
      // Private mode or storage switched off: the setting still holds for this page.
    }
  }

  function show() {
    var step = currentStep();
    var contrast = has("fed-contrast");
    var i;
    for (i = 0; i < steps.length; i++) {
      steps[i].setAttribute("aria-pressed", String(steps[i].getAttribute("data-fed-text-step") === String(step)));
    }
    for (i = 0; i < contrastButtons.length; i++) {
      contrastButtons[i].setAttribute("aria-pressed", String(contrast));
    }
    for (i = 0; i < toggles.length; i++) {
      var state = toggles[i].querySelector("[data-fed-reader-state]");
      var label = toggles[i].querySelector("[data-fed-reader-label]");
      if (state) state.textContent = step || contrast ? "✓" : "A+";
      if (label) label.textContent = step ? LABELS[step] : contrast ? "高对比" : LABELS[0];
      toggles[i].setAttribute("data-fed-on", step || contrast ? "true" : "false");
    }
  }

  function setStep(step) {
    set("fed-large", step > 0);
    set("fed-xlarge", step > 1);
    store(SIZE_KEY, step ? String(step) : "");
    store(OLD_KEY, "");
    show();
  }

  function open(on) {
    if (!panel) return;
    panel.hidden = !on;
    for (var i = 0; i < toggles.length; i++) toggles[i].setAttribute("aria-expanded", String(on));
    if (on) {
      var pressed = panel.querySelector("[data-fed-text-step][aria-pressed=true]");
      if (pressed) pressed.focus();
    }
  }

  var i;
  for (i = 0; i < toggles.length; i++) {
    toggles[i].addEventListener("click", function () {
      open(panel ? panel.hidden : false);
    });
  }
  for (i = 0; i < steps.length; i++) {
    steps[i].addEventListener("click", function () {
      setStep(parseInt(this.getAttribute("data-fed-text-step"), 10) || 0);
    });
  }
  for (i = 0; i < contrastButtons.length; i++) {
    contrastButtons[i].addEventListener("click", function () {
      var on = !has("fed-contrast");
      set("fed-contrast", on);
      store(CONTRAST_KEY, on ? "1" : "");
      show();
    });
  }
  var done = document.querySelectorAll("[data-fed-reader-close]");
  for (i = 0; i < done.length; i++) {
    done[i].addEventListener("click", function () {
      open(false);
      if (toggles.length) toggles[0].focus();
    });
  }
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && panel && !panel.hidden) {
      open(false);
      if (toggles.length) toggles[0].focus();
    }
  });

  // The phone's menu button is Material's <label> for a hidden checkbox: the keyboard opens it
  // with Enter (Material) or Space (here), and aria-expanded follows the drawer (federation.css keeps the closed
  // drawer's links out of the tab order).
  var drawer = document.getElementById("__drawer");
  var menuButtons = document.querySelectorAll("[data-fed-drawer-button]");
  function showDrawer() {
    for (var j = 0; j < menuButtons.length; j++) {
      menuButtons[j].setAttribute("aria-expanded", String(!!(drawer && drawer.checked)));
    }
  }
  for (i = 0; i < menuButtons.length; i++) {
    menuButtons[i].addEventListener("keydown", function (event) {
      // Material's bundle already opens a focused <label> on Enter; Space is ours.
      if (drawer && (event.key === " " || event.key === "Spacebar")) {
        event.preventDefault();
        drawer.click();
      }
    });
  }
  if (drawer) {
    drawer.addEventListener("change", showDrawer);
    document.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && drawer.checked) {
        drawer.click();
        if (menuButtons.length) menuButtons[0].focus();
      }
    });
  }
  show();
  showDrawer();
})();
