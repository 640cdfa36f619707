// Tracker: "select all on this page" for bulk actions. Delegated, so it survives htmx swaps.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.id !== "select-all") return;
  const form = box.closest("form");
  if (!form) return;
  form.querySelectorAll('input[name="ids"]').forEach((item) => {
    item.checked = box.checked;
  });
});
