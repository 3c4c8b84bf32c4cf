// A table wider than its column scrolls sideways inside its region. Where it does, say so: a line
// above it that people can see, and the same words in the region's name for screen readers.
(function () {
  "use strict";
  document.querySelectorAll(".table-wrap").forEach(function (wrap, index) {
    var cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.id = "scroll-cue-" + (index + 1);
    cue.textContent = "This table scrolls sideways: swipe it, or select it and use the arrow keys";
    // Inside the region (a sibling would become a cell of the chart-and-table grid), kept in view as it scrolls.
    wrap.insertBefore(cue, wrap.firstChild);
    var label = wrap.getAttribute("aria-labelledby") || "";
    function update() {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      cue.hidden = !scrolls;
      wrap.toggleAttribute("data-scrolls", scrolls);
      wrap.setAttribute("aria-labelledby", scrolls ? (label + " " + cue.id).trim() : label);
    }
    update();
    window.addEventListener("resize", update);
    window.addEventListener("load", update);
  });
})();
