// Double-submit protection: a form sends once.
//
// On submit every submit button of the form is disabled until the next page replaces this one.
// A disabled button is not part of the POST, so the pressed button's name and value travel in a
// hidden input instead (views tell "Save" from "Save and add another" by them). The buttons come
// back when the page is shown again from the back/forward cache, when an htmx request of the form
// ends (failed or not: the form is still there), and after a while in case the response was a
// download and the page never changed. A form can opt out with data-allow-resubmit.
(function () {
  "use strict";

  var BUSY = "data-submit-once-busy";
  var DISABLED = "data-submit-once-disabled";
  var KEPT = "data-submit-once-kept";
  var RESTORE_AFTER_MS = 15000;

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      var type = (element.getAttribute("type") || "").toLowerCase();
      if (element.tagName === "BUTTON") {
        return type === "" || type === "submit";
      }
      return element.tagName === "INPUT" && (type === "submit" || type === "image");
    });
  }

  function keepSubmitter(form, submitter) {
    if (!submitter || !submitter.name || submitter.form !== form) {
      return;
    }
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = submitter.name;
    hidden.value = submitter.value;
    hidden.setAttribute(KEPT, "");
    form.appendChild(hidden);
  }

  function lock(form) {
    form.setAttribute(BUSY, "");
    form.setAttribute("aria-busy", "true");
    submitButtons(form).forEach(function (button) {
      if (!button.disabled) {
        button.disabled = true;
        button.setAttribute(DISABLED, "");
      }
    });
    window.clearTimeout(form._submitOnceTimer);
    form._submitOnceTimer = window.setTimeout(function () {
      unlock(form);
    }, RESTORE_AFTER_MS);
  }

  function unlock(form) {
    window.clearTimeout(form._submitOnceTimer);
    form.removeAttribute(BUSY);
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("[" + KEPT + "]"), function (input) {
      input.remove();
    });
    Array.prototype.forEach.call(document.querySelectorAll("[" + DISABLED + "]"), function (button) {
      if (button.form === form) {
        button.disabled = false;
        button.removeAttribute(DISABLED);
      }
    });
  }

  function unlockAll() {
    Array.prototype.forEach.call(document.querySelectorAll("form[" + BUSY + "]"), unlock);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-allow-resubmit")) {
      return;
    }
    if (form.hasAttribute(BUSY)) {
      // Already on its way: a second click, Enter pressed twice.
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) {
      // htmx sends the form itself (locked by the htmx events below); anything else that
      // cancelled the submit did so on purpose.
      return;
    }
    keepSubmitter(form, event.submitter);
    lock(form);
  });

  // htmx forms: locked while their request runs.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form instanceof HTMLFormElement && !form.hasAttribute("data-allow-resubmit")) {
      lock(form);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form instanceof HTMLFormElement) {
      unlock(form);
    }
  });
  ["htmx:sendError", "htmx:responseError", "htmx:timeout", "htmx:sendAbort"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = event.detail && event.detail.elt;
      if (form instanceof HTMLFormElement) {
        unlock(form);
      }
    });
  });

  // Back to this page (back/forward cache, or the browser restoring the form): usable again.
  window.addEventListener("pageshow", unlockAll);
})();
