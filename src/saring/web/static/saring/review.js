// Review queue: one keystroke per decision, so the reviewer's hands stay on the keyboard.
document.addEventListener("keydown", function (event) {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey) { return; }
  var key = event.key.toLowerCase();
  var name = (key === "y" || key === "j") ? "confirmed" : (key === "n" || key === "k") ? "rejected" : null;
  var button = name && document.querySelector("#review-item button[value='" + name + "']");
  if (button) { event.preventDefault(); button.click(); }
});
