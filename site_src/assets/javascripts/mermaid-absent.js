/* Material draws `pre.mermaid` diagrams with mermaid, fetched from unpkg.com when the
   page lacks it. Stories may not use that class (generator/rawhtml.py) and the site has
   no diagrams, so the build points that fetch here (generator/themejs.py): a diagram, if
   one ever appears, stays as its text, and nothing is fetched from another host. */
(function () {
  "use strict";
  if (typeof window.mermaid === "object" && !(window.mermaid instanceof Element)) return;
  window.mermaid = {
    initialize: function () {},
    render: function (id, text) {
      var pre = document.createElement("pre");
      pre.textContent = text;
      return Promise.resolve({ svg: pre.outerHTML, fn: null });
    },
  };
})();
