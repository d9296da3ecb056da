// The editor's preview only (mkdocs serve --no-strict, .ci/preview.sh; never in a published site): the validator's
// errors of the latest build, at the top of whatever page is open. A dirty rebuild rewrites only the pages whose
// files changed, so a page written before the error (or the page of a notice that now has one, and is not
// published) would otherwise not say it. The build writes them to _xem-truoc.json; shown as text, never markup.
(function () {
  "use strict";
  var article = document.querySelector("article.md-content__inner");
  if (!article || typeof __md_scope === "undefined") return;
  fetch(new URL("_xem-truoc.json", __md_scope), { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (report) {
      if (!report) return;
      article.querySelectorAll(".notice-problems").forEach(function (old) { old.remove(); });
      if (!report.errors.length) return;
      var box = document.createElement("div");
      box.className = "admonition failure notice-problems";
      box.setAttribute("role", "alert");
      var title = document.createElement("p");
      title.className = "admonition-title";
      title.textContent = report.title;
      var list = document.createElement("ul");
      report.errors.forEach(function (error) {
        var item = document.createElement("li");
        var where = document.createElement("code");
        where.textContent = error.where;
        item.append(where, ": " + error.message + (error.code ? " [" + error.code + "]" : ""));
        list.append(item);
      });
      box.append(title, list);
      article.prepend(box);
    })
    .catch(function () { /* a rebuild under way: the live reload brings the page back */ });
})();
