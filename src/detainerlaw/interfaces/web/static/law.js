// Law timeline: a comparison can take the solver several seconds; say so while the next page loads.
(function () {
  "use strict";
  const busy = document.getElementById("busy");
  function wait() {
    busy.textContent = "Comparing the two dates… finding the cases decided differently can take up to 10 seconds.";
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
