// A table wider than the screen scrolls sideways inside its .table-responsive box. Someone using
// only a keyboard can scroll it only if the box takes focus, so a box that overflows becomes a
// focusable region named after its table's caption (WCAG 2.1.1; axe "scrollable-region-focusable").
(function () {
  function mark(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (overflows && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = box.querySelector("caption");
      var name = caption ? caption.textContent.trim() : "";
      if (name) box.setAttribute("aria-label", name);
      box.dataset.scrollRegion = "1";
    } else if (!overflows && box.dataset.scrollRegion === "1") {
      ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (attribute) {
        box.removeAttribute(attribute);
      });
    }
  }
  function markAll() {
    document.querySelectorAll(".table-responsive").forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  window.addEventListener("resize", markAll);
})();
