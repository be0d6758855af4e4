// Law timeline: a comparison can take the solver several seconds; say so while the next page loads.
(function () {
  "use strict";
  const busy = document.getElementById("busy");
  // The messages shown to the user, in the page's language (rendered by the template).
  const messages = JSON.parse(document.getElementById("law-messages").textContent);
  function wait() {
    busy.textContent = messages.comparing;
    document.body.setAttribute("aria-busy", "true");
    document.getElementById("compare").disabled = true;
  }
  document.getElementById("diff-form").addEventListener("submit", () => setTimeout(wait, 0));
  for (const a of document.querySelectorAll("a.event-diff")) a.addEventListener("click", wait);
  // Back/forward restores the page from cache: clear the indicator.
  window.addEventListener("pageshow", () => {
    busy.textContent = "";
    document.body.removeAttribute("aria-busy");
    document.getElementById("compare").disabled = false;
  });
})();
