/* The preview pane of the web editor: each story drawn as the site draws it, in the site's
   own stylesheets, with the body's Markdown rendered.

   Before Decap starts (index.html sets CMS_MANUAL_INIT), the site's home page is read for
   the stylesheets it links and the attributes of its <body> (the palette); the preview
   frame takes both. The markup below follows generator/templates/story.html with its
   lead/<section>.html and header/<section>.html; the vocabularies' words, tones and icons
   come from config.yml (`site_preview`, made by generator/render/cms.py from the same
   table as the form), so no word of the site is written twice. The body is rendered by
   markdown-it (markdown-it.min.js beside this file, from npm), raw HTML shown as text. */
(function () {
  "use strict";

  // A phone opens the form without the preview beside it (editor.css shows one at a time);
  // the eye button shows it, and Decap remembers the choice.
  try {
    if (window.matchMedia("(max-width: 799px)").matches && localStorage.getItem("cms.right-pane") === null) {
      localStorage.setItem("cms.right-pane", "none");
    }
  } catch (e) { /* storage refused: Decap's default stands */ }

  // Decap's Chinese has no words for the Forgejo login button (it shows "Login with Forgejo").
  var chinese = CMS.getLocale("zh_Hans");
  if (chinese && chinese.auth && !chinese.auth.loginWithForgejo) chinese.auth.loginWithForgejo = "使用 Forgejo 登录";

  var markdown = window.markdownit({ html: false, linkify: false, typographer: false });
  var site = { body: [], ready: false };

  function escape(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function plain(value) {
    if (value && typeof value.toJS === "function") return value.toJS();
    return value;
  }

  // 2020-02-01 → 2020年2月1日 (templating.zh_date).
  function zhDate(value) {
    var m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(String(value || ""));
    return m ? Number(m[1]) + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : escape(value);
  }

  function shortened(text, limit) {
    if (text.length <= limit) return text;
    return text.slice(0, limit - 1).replace(/[，、；：,;: ]+$/, "") + "…";
  }

  // The site's sentences (content/fact.sentences): split after a closing mark.
  function firstSentence(text) {
    var parts = String(text || "").trim().split(/(?<=[。！？!?；;])/);
    return (parts[0] || "").trim();
  }

  function Story(props) {
    var config = plain(props.config) || {};
    var data = plain(props.entry.get("data")) || {};
    var extra = config.site_preview || { terms: {}, icons: {} };
    var section = props.collection.get("name");
    var label = props.collection.get("label");
    var fieldLabels = {};
    plain(props.fields).forEach(function (f) { fieldLabels[f.name] = f.label; });

    function icon(name) { return extra.icons[name || ""] || extra.icons[""] || ""; }
    function term(vocabulary, code) {
      var found = (extra.terms[vocabulary] || {})[code];
      return found ? Object.assign({ code: code }, found) : null;
    }
    function badge(t, kind) {
      return '<span class="fed-badge fed-badge--' + escape(t.tone || "neutral") + '" data-' + kind + '="' +
        escape(t.code) + '">' + icon(t.icon) + '<span class="fed-badge__word">' + escape(t.label) + "</span></span>";
    }
    function asset(name) {
      if (!name) return "";
      if (/^(?:[a-z]+:|\/)/i.test(name)) return name;
      var found = props.getAsset(name);
      return found ? found.toString() : name;
    }

    var verdict = term("verdicts", data.verdict);
    var status = term("statuses", data.status || "current");
    var district = term("districts", data.district);
    var draft = data.draft === true;

    var lead = "";
    if (section === "rumours" && verdict) {
      var fact = String(data.conclusion || "").trim() || firstSentence(data.summary) || verdict.explain || "";
      lead = '<div class="fed-verdict-banner fed-verdict-banner--' + escape(verdict.tone || "neutral") +
        '" data-verdict="' + escape(verdict.code) + '" role="note" aria-label="查证结论">' +
        '<h2 class="fed-verdict-banner__head">' + icon(verdict.icon) +
        '<span class="fed-verdict-banner__label">查证结论：</span><strong class="fed-verdict-banner__word">' +
        escape(verdict.label) + "</strong></h2>" +
        '<p class="fed-verdict-banner__fact">' + escape(shortened(fact, extra.conclusion_limit || 48)) + "</p></div>";
    } else if (section === "knowledge") {
      lead = '<dl class="fed-facts fed-review"><div><dt>最近审核</dt><dd><time>' + zhDate(data.reviewed) + "</time>" +
        (data.reviewed_by ? "（" + escape(data.reviewed_by) + "）" : "") + "</dd></div>" +
        (data.review_due ? "<div><dt>下次审核</dt><dd><time>" + zhDate(data.review_due) + "</time></dd></div>" : "") +
        "<div><dt>状态</dt><dd>" + escape(status ? status.label : "") + "</dd></div>" +
        (data.audience && data.audience.length ? "<div><dt>适用人群</dt><dd>" +
          data.audience.map(function (a) { return "<a>" + escape(a) + "</a>"; }).join("、") + "</dd></div>" : "") +
        "</dl>";
    } else if (section === "exemplars") {
      var honours = (data.honours || []).filter(function (h) { return h && h.title; });
      lead = '<dl class="fed-facts fed-person"><div><dt>人物</dt><dd class="fed-person__name">' + escape(data.name) +
        "</dd></div><div><dt>身份</dt><dd>" + escape(data.role) + "</dd></div>" +
        (data.organisation ? "<div><dt>单位</dt><dd>" + escape(data.organisation) + "</dd></div>" : "") +
        (honours.length ? '<div><dt>荣誉</dt><dd><ul class="fed-honours">' + honours.map(function (h) {
          var t = term("honours", h.title) || { label: h.title };
          var more = [h.year ? h.year + "年" : "", h.level, h.issuer].filter(Boolean).join("，");
          return "<li>" + icon("check") + " <a>" + escape(t.label) + "</a>" + (more ? "（" + escape(more) + "）" : "") + "</li>";
        }).join("") + "</ul></dd></div>" : "") + "</dl>";
    }

    var header = "";
    if (section === "rumours" && verdict) {
      header = '<div class="fed-claim" data-verdict="' + escape(verdict.code) + '">' +
        '<h2 class="fed-claim__label">网传（经查证：' + escape(verdict.label) + "）" + badge(verdict, "verdict") + "</h2>" +
        '<p class="fed-claim__text">' + escape(data.claim) + "</p>" +
        (data.claim_seen ? '<p class="fed-claim__seen">流传情况：' + escape(data.claim_seen) + "</p>" : "") +
        '<p class="fed-claim__explain">' + escape(verdict.explain) + "</p></div>" +
        '<p class="fed-ask-line">看到类似的说法拿不准？<a class="fed-ask-link">我要求证</a></p>';
    }

    var badges = (status && status.code !== "current" ? '<span class="fed-badge fed-badge--muted" data-status="' +
      escape(status.code) + '">' + icon(status.icon || "warning") + '<span class="fed-badge__word">' +
      escape(status.label) + "</span></span>" : "") +
      (draft ? '<span class="fed-badge fed-badge--draft" data-draft="true"><span class="fed-badge__word">草稿</span></span>' : "");

    var env = { asset: asset };
    var html = '<article class="fed-story fed-story--' + escape(section) + '" data-section="' + escape(section) + '">' +
      '<p class="fed-kicker"><a>' + escape(label) + "</a></p>" +
      "<h1>" + escape(data.title) + "</h1>" + lead +
      '<p class="fed-byline"><time>' + zhDate(data.date) + "</time>" +
      (data.updated ? " · 更新于 <time>" + zhDate(data.updated) + "</time>" : "") +
      (data.author ? " · " + escape(data.author) : "") +
      (district && district.label !== data.author ? " · <a>" + escape(district.label) + "</a>" : "") +
      " " + badges + "</p>" +
      (draft ? '<p class="fed-notice fed-notice--draft" role="note"><strong>草稿</strong>：本文是草稿，只在本地预览中显示，不会发布到网站。</p>' : "") +
      (status && status.notice ? '<div class="fed-notice fed-notice--status" role="note" data-status="' + escape(status.code) +
        '"><p><strong>' + icon(status.icon || "warning") + " " + escape(status.label) + "</strong>：" + escape(status.notice) + "</p></div>" : "") +
      header +
      (data.image ? '<figure class="fed-lead"><img src="' + escape(asset(data.image)) + '" alt="' + escape(data.image_alt) + '"></figure>' : "") +
      '<div class="fed-body">' + markdown.render(String(data.body || ""), env) + "</div>" +
      (data.sources && data.sources.length ? '<section class="fed-sources"><h2>' + escape(fieldLabels.sources || "") + "</h2><ol>" +
        data.sources.map(function (s) { return "<li><a>" + escape(s && s.title) + "</a></li>"; }).join("") + "</ol></section>" : "") +
      (data.tags && data.tags.length ? '<p class="fed-tags"><span class="fed-tags__label">标签：</span>' +
        data.tags.map(function (t) { return '<a class="fed-tag">' + escape(t) + "</a>"; }).join("") + "</p>" : "") +
      (district ? '<p class="fed-tags"><span class="fed-tags__label">区县动态：</span><a class="fed-tag">' + escape(district.label) + "</a></p>" : "") +
      "</article>";

    // The palette and scheme the site's pages carry on <body>.
    var body = props.document && props.document.body;
    if (body) site.body.forEach(function (a) { if (body.getAttribute(a[0]) !== a[1]) body.setAttribute(a[0], a[1]); });
    return h("div", { className: "md-content" },
      h("article", { className: "md-content__inner md-typeset", dangerouslySetInnerHTML: { __html: html } }));
  }

  // A picture in the body by its bare file name, as the site finds it in stories/images/.
  var image = markdown.renderer.rules.image;
  markdown.renderer.rules.image = function (tokens, idx, options, env, self) {
    var token = tokens[idx];
    token.attrSet("src", env.asset(token.attrGet("src")));
    return image(tokens, idx, options, env, self);
  };

  ["knowledge", "rumours", "exemplars"].forEach(function (name) { CMS.registerPreviewTemplate(name, Story); });

  // The site's stylesheets and body attributes, from its home page, before Decap starts.
  var home = new URL("../", location.href);
  fetch(home, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (text) {
      var page = new DOMParser().parseFromString(text, "text/html");
      page.querySelectorAll("link[rel~=stylesheet][href]").forEach(function (link) {
        CMS.registerPreviewStyle(new URL(link.getAttribute("href"), home).href);
      });
      Array.prototype.forEach.call(page.body.attributes, function (a) { site.body.push([a.name, a.value]); });
    })
    .catch(function () {
      CMS.registerPreviewStyle(new URL("assets/stylesheets/federation.css", home).href);
    })
    .then(function () { site.ready = true; CMS.init(); });
})();
