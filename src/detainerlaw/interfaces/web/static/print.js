// Print buttons ([data-print]) anywhere on a page, including results inserted after load.
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
