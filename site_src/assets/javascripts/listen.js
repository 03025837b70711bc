/* 朗读本文: play and pause a story read aloud. The browser's own Chinese voice reads the
   article (Web Speech API) where there is one; otherwise the audio the build made
   (generator/speech.py) plays. What is read, and in which order, follows the page's
   data-first and data-skip selectors, which generator/speech.py reads the same way.
   ES5, for the older WebViews inside WeChat. */
(function () {
  "use strict";
  var box = document.querySelector("[data-fed-listen]");
  if (!box) return;
  var button = box.querySelector("[data-fed-listen-button]");
  var label = box.querySelector(".fed-listen__label");
  var status = box.querySelector(".fed-listen__status");
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var SKIP_TAGS = /^(SVG|SCRIPT|STYLE|TEMPLATE|BUTTON|IMG|FIGURE)$/i;
  var BLOCKS = /^(P|H[1-6]|LI|DT|DD|TR|DIV|SECTION|BLOCKQUOTE|FIGCAPTION|CAPTION|TH|TD|BR|TABLE|OL|UL|DL|ARTICLE|ASIDE)$/i;
  var ENDS = /[。！？；：.!?;:…]$/;
  var LABELS = { idle: "朗读本文", playing: "暂停朗读", paused: "继续朗读" };
  var state = "idle";
  var mode = null; // "voice" or "audio", chosen at the first tap
  var chunks = null;
  var at = 0;
  var audio = null;
  var spoken = 0; // bumped to ignore the end events of a cancelled utterance

  function matches(element, selector) {
    var test = element.matches || element.msMatchesSelector || element.webkitMatchesSelector;
    return !!selector && !!test && test.call(element, selector);
  }

  function article() {
    var node = box;
    while (node && node.nodeName !== "ARTICLE") node = node.parentNode;
    return node || document.body;
  }

  // The visible text, block by block: with `first`, only inside data-first; else all but it.
  function collect(node, first, inside, out) {
    for (var child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        if (inside || !first) out.current.push(child.nodeValue);
        continue;
      }
      if (child.nodeType !== 1) continue;
      var own = matches(child, box.getAttribute("data-first"));
      if (SKIP_TAGS.test(child.nodeName) || matches(child, box.getAttribute("data-skip")) ||
          child.hasAttribute("hidden") || child.getAttribute("aria-hidden") === "true" || (own && !first)) {
        continue;
      }
      var block = BLOCKS.test(child.nodeName);
      if (block) flush(out);
      collect(child, first, inside || own, out);
      if (block) flush(out);
    }
  }

  function flush(out) {
    var text = out.current.join("").replace(/\s+/g, " ").replace(/^ | $/g, "");
    out.current = [];
    if (text) out.blocks.push(ENDS.test(text) ? text : text + "。");
  }

  function text() {
    var out = { blocks: [], current: [] };
    var root = article();
    collect(root, true, false, out);
    flush(out);
    collect(root, false, false, out);
    flush(out);
    return out.blocks;
  }

  function chineseVoice() {
    if (!synth || !Utterance || !synth.getVoices) return null;
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^(zh|cmn)([-_]|$)/i.test(voices[i].lang || "")) return voices[i];
    }
    return null;
  }

  function show(next, message) {
    state = next;
    label.textContent = LABELS[next];
    button.setAttribute("aria-pressed", next === "playing" ? "true" : "false");
    status.textContent = message || "";
  }

  function speakFrom(voice) {
    if (at >= chunks.length) {
      at = 0;
      show("idle", "朗读完毕。");
      return;
    }
    var mine = ++spoken;
    var utterance = new Utterance(chunks[at]);
    utterance.lang = voice.lang;
    utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = function () {
      if (mine !== spoken || state !== "playing") return;
      at++;
      speakFrom(voice);
    };
    utterance.onerror = utterance.onend;
    synth.speak(utterance);
  }

  function playVoice() {
    var voice = chineseVoice();
    if (!chunks) chunks = text();
    show("playing");
    synth.cancel();
    speakFrom(voice);
  }

  function playAudio() {
    if (!audio) {
      audio = document.createElement("audio");
      audio.className = "fed-listen__audio";
      audio.preload = "none";
      audio.addEventListener("ended", function () { show("idle", "朗读完毕。"); });
      audio.addEventListener("error", function () {
        show("idle", "本机没有中文语音，朗读录音也没有加载成功，暂时不能朗读。");
      });
      audio.src = box.getAttribute("data-audio");
      box.appendChild(audio);
    }
    show("playing");
    var started = audio.play();
    if (started && started["catch"]) {
      started["catch"](function () {
        if (!audio.error) show("paused", "请再点一次按钮开始朗读。");
      });
    }
  }

  function pause() {
    if (mode === "voice") {
      spoken++; // the cancelled utterance's end event must not move on
      synth.cancel(); // pause() is not kept by every phone: start again from this block
    } else if (audio) {
      audio.pause();
    }
    show("paused");
  }

  button.addEventListener("click", function () {
    if (state === "playing") {
      pause();
      return;
    }
    if (!mode) mode = chineseVoice() ? "voice" : "audio";
    if (mode === "voice") playVoice();
    else playAudio();
  });

  window.addEventListener("pagehide", function () {
    if (mode === "voice") synth.cancel();
  });

  if (synth && synth.getVoices) synth.getVoices(); // starts loading the voices before the first tap
  box.setAttribute("data-ready", "");
})();
