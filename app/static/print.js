// A "Print" button (data-print) opens the browser's print dialog; without JavaScript it stays hidden.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
