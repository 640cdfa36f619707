// Error summary: after a failed submit, focus the summary of the errors
// (templates/includes/error_summary.html); its links move the focus to their field.
(function () {
  "use strict";

  function fieldFor(id) {
    // A list of checkboxes or radios has no element with the field's own id: its first option.
    return document.getElementById(id) || document.getElementById(id + "_0");
  }

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[data-error-field]");
    if (!link) {
      return;
    }
    var field = fieldFor(link.getAttribute("data-error-field"));
    if (!field) {
      return;
    }
    event.preventDefault();
    // The label (or the group's legend) above the field stays in view with it.
    var label = document.querySelector("label[for='" + field.id + "']");
    var group = field.closest("fieldset") || field.closest(".mb-3");
    (group || label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(); });
  } else {
    focusSummary();
  }
  // A form swapped in by htmx with its errors.
  document.body.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.detail.target); });
})();
