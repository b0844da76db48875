// World café printables: a Print button (the page prints fine with Ctrl+P without it).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
