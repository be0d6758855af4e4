// Swagger UI from the package's own copy (no CDN), started without inline script. Deep linking is off: it
// puts a link inside each operation's toggle button, and a control nested in another is not reachable by
// keyboard or screen reader (axe: nested-interactive).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false });

// Swagger UI leaves a parameter's choice list and the request-body editor without an accessible name,
// and its scrollable code samples out of the tab order: name them and make them focusable as they appear.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  function mend() {
    for (const el of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
      el.setAttribute("aria-label", el.closest("tr").dataset.paramName);
    }
    for (const el of root.querySelectorAll(".body-param textarea:not([aria-label])")) {
      el.setAttribute("aria-label", "Request body");
    }
    for (const el of root.querySelectorAll(".highlight-code > pre:not([tabindex]), pre.body-param__example:not([tabindex])")) {
      el.tabIndex = 0;
    }
  }
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
})();
