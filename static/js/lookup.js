// Typed choices over large tables (core/lookup.py): as one types, fetch up to 15 suggestions
// and put them in the box's <datalist>. Delegated, so it survives htmx swaps.
(() => {
  const timers = new WeakMap();
  const controllers = new WeakMap();

  async function suggest(input) {
    const list = document.getElementById(input.getAttribute("list"));
    const text = input.value.trim();
    if (!list || !text) return;
    controllers.get(input)?.abort();
    const controller = new AbortController();
    controllers.set(input, controller);
    const url = new URL(input.dataset.lookupUrl, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const { results } = await response.json();
      list.replaceChildren(
        ...results.map((label) => {
          const option = document.createElement("option");
          option.value = label;
          return option;
        }),
      );
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.lookupUrl) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(() => suggest(input), 250));
  });
})();
