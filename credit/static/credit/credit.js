/* Credit explanations: each is a <details> (opens on tap and by keyboard without this script);
   here it also opens while the pointer rests on it, and Escape closes it. */
(function () {
  document.querySelectorAll("details.cr-why").forEach(function (details) {
    var byHover = false;
    details.addEventListener("pointerenter", function (event) {
      if (event.pointerType === "touch" || details.open) return;
      byHover = true;
      details.open = true;
    });
    details.addEventListener("pointerleave", function () {
      if (byHover) details.open = false;
      byHover = false;
    });
    details.querySelector("summary").addEventListener("click", function (event) {
      if (byHover) {
        event.preventDefault(); /* a click after hovering keeps it open */
        byHover = false;
      }
    });
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape") details.open = false;
    });
  });
})();
