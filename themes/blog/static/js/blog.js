// Small improvements on top of pages that already work without JavaScript.
(function () {
  "use strict";

  // The casework address is in the HTML only as two halves with "at" between them, which
  // address-harvesting robots that read pages do not pick up. Here the halves become one
  // working email link, showing the whole address so people can also copy it.
  document.querySelectorAll(".js-email").forEach(function (holder) {
    var user = holder.querySelector(".email-user");
    var domain = holder.querySelector(".email-domain");
    if (!user || !domain) {
      return;
    }
    var address = user.textContent.trim() + "@" + domain.textContent.trim();
    var link = document.createElement("a");
    link.className = "u-email";
    link.href = "mailto:" + address;
    // Break a long address at its dots and "@" on a phone, never in the middle of a word.
    address.split(/(?=[.@])/).forEach(function (part, index) {
      if (index > 0) {
        link.appendChild(document.createElement("wbr"));
      }
      link.appendChild(document.createTextNode(part));
    });
    holder.replaceWith(link);
  });

  // A table too wide for a phone scrolls sideways inside the post rather than widening the page;
  // a focusable, named region lets keyboard users scroll it too.
  document.querySelectorAll(".e-content table").forEach(function (table, index) {
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
    if (wrap.scrollWidth > wrap.clientWidth) {
      var caption = table.querySelector("caption");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table " + (index + 1) + ", scrolls sideways");
    }
  });

  // The share kit's copy buttons: text ready to paste into a network's own app.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById(button.dataset.copy);
      var status = document.getElementById(button.dataset.copy + "-status");
      function done() { status.textContent = "Copied"; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(done, function () { box.select(); });
      } else {
        box.select();
        box.setSelectionRange(0, box.value.length);
        if (document.execCommand("copy")) { done(); }
      }
    });
  });
})();
