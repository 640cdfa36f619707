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

// "Filters (n active)": recount when a filter in the folded panel changes (htmx swaps only the
// results, so the server's count in the button would go stale).
const PANEL_IGNORED = new Set(["sort", "per_page"]);
function countActiveFilters(panel) {
  const names = new Set();
  panel.querySelectorAll("input[name], select[name]").forEach((field) => {
    if (PANEL_IGNORED.has(field.name) || field.type === "hidden" && !field.value) return;
    const values =
      field.tagName === "SELECT"
        ? Array.from(field.selectedOptions).map((option) => option.value)
        : [field.value];
    if (values.some((value) => value)) names.add(field.name);
  });
  return names.size;
}
document.addEventListener("change", (event) => {
  const panel = document.getElementById("tracker-filters");
  const label = document.querySelector("[data-active-filters]");
  if (!panel || !label || !panel.contains(event.target)) return;
  const template = label.dataset.template || label.textContent.replace(/\d+/, "{n}");
  label.dataset.template = template;
  label.textContent = template.replace("{n}", countActiveFilters(panel));
});
