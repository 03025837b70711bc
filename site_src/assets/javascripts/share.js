/* The share block's copy buttons. The page carries the link and the text already; this file
   only shows the buttons and puts the text on the clipboard. ES5, for the older WebViews
   inside WeChat, where navigator.clipboard is often missing: then the old execCommand copy,
   and as a last resort the text is selected and the reader is asked to long-press it. */
(function () {
  "use strict";

  function copyByCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    area.style.fontSize = "16px"; // below 16px iOS zooms the page on focus
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    document.body.removeChild(area);
    return done;
  }

  function copy(text, then) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          then(true);
        },
        function () {
          then(copyByCommand(text));
        }
      );
    } else {
      then(copyByCommand(text));
    }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function wire(block) {
    var status = block.querySelector(".fed-share__status");
    var timer = null;

    function say(message) {
      status.textContent = message;
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(function () {
        status.textContent = "";
      }, 6000);
    }

    function button(selector, source, what) {
      var element = block.querySelector(selector);
      var shown = block.querySelector(source);
      if (!element || !shown) {
        return;
      }
      element.hidden = false;
      element.addEventListener("click", function () {
        var text = element.getAttribute("data-copy") || shown.textContent;
        copy(text, function (done) {
          if (done) {
            element.setAttribute("data-copied", "true");
            say("已复制" + what + "，可以粘贴到微信、微博了。");
          } else {
            selectText(shown);
            say("没能自动复制，请长按选中的文字，再点“复制”。");
          }
        });
      });
    }

    button(".fed-share__copy-link", ".fed-share__url", "链接");
    button(".fed-share__copy-text", ".fed-share__text", "转发文字");
  }

  var blocks = document.querySelectorAll(".fed-share");
  for (var i = 0; i < blocks.length; i++) {
    wire(blocks[i]);
  }
})();
