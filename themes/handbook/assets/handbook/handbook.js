// A table wider than the screen scrolls sideways inside its frame (Material wraps each table
// in one). Someone using a keyboard can only scroll it if the frame can take focus, and a
// screen reader needs to hear what the frame holds, so a frame that scrolls gets both.
function nameScrollingTables() {
  for (const frame of document.querySelectorAll(".md-typeset__scrollwrap")) {
    const scrolls = frame.scrollWidth > frame.clientWidth + 1;
    if (scrolls && !frame.hasAttribute("tabindex")) {
      const caption = frame.querySelector("caption");
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
    } else if (!scrolls && frame.getAttribute("tabindex") === "0") {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
    }
  }
}

// document$ emits on every page Material shows, after it has wrapped that page's tables.
document$.subscribe(nameScrollingTables);
window.addEventListener("resize", nameScrollingTables);
