// Copy-link control for every item and point: copies its citation and permanent address. The plain link
// (the "#" beside each item, the letter of each point) works without JavaScript; this only adds convenience.
(function () {
  function enhance(root) {
    root.querySelectorAll("[data-cite]").forEach(function (el) {
      if (el.querySelector(":scope > .cite-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = "Sao chép trích dẫn";
      button.setAttribute("aria-label", "Sao chép trích dẫn và liên kết: " + el.getAttribute("data-cite"));
      button.addEventListener("click", function (event) {
        event.preventDefault();
        // The permanent address: no query string (?tim= from a search result) or state, only the anchor.
        var url = location.href.split(/[?#]/)[0] + "#" + el.id;
        var text = el.getAttribute("data-cite") + " — " + url;
        var done = function () { button.textContent = "Đã sao chép"; setTimeout(function () { button.textContent = "Sao chép trích dẫn"; }, 2000); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { window.prompt("Trích dẫn:", text); });
        } else {
          window.prompt("Trích dẫn:", text);
        }
      });
      el.appendChild(button);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { enhance(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
