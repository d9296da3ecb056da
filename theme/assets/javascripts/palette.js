// The colour scheme the reader chose with the header's toggle (saved by Material as "__palette"), applied before the
// page paints: Material's partials/javascripts/palette.html, moved to a file (no inline scripts under the CSP).
(function () {
  if (typeof __md_get !== "function") return;
  var palette = __md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var media = matchMedia("(prefers-color-scheme: light)");
    var input = document.querySelector(media.matches
      ? "[data-md-color-media='(prefers-color-scheme: light)']"
      : "[data-md-color-media='(prefers-color-scheme: dark)']");
    if (!input) return;
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  for (var key in palette.color) {
    if (Object.prototype.hasOwnProperty.call(palette.color, key)) {
      document.body.setAttribute("data-md-color-" + key, palette.color[key]);
    }
  }
})();
