/* On every page: registers the service worker, shows the offline banner, and keeps a form
   from being sent twice or while offline. Texts come translated from the script tag's data-
   attributes (templates/includes/head.html). */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = (script && script.dataset) || {};

  if ("serviceWorker" in navigator && text.sw) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(text.sw, { scope: "/" }).catch(function () {
        /* No worker (private mode, old browser): the site works as before. */
      });
    });
  }

  /* --- Offline banner --------------------------------------------------------------------- */
  var banner = null;

  function showBanner(message, kind) {
    if (!document.body) return;
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "fx-offline-banner";
      banner.setAttribute("role", "status");
      banner.setAttribute("data-offline-banner", "");
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.setAttribute("data-kind", kind);
    banner.textContent = message;
    banner.hidden = false;
  }

  function savedAt() {
    var meta = document.querySelector('meta[name="fx-offline-saved"]');
    return meta ? new Date(meta.getAttribute("content")) : null;
  }

  function formatTime(date) {
    try {
      return date.toLocaleString(document.documentElement.lang || undefined, {
        dateStyle: "medium",
        timeStyle: "short",
      });
    } catch (error) {
      return date.toISOString();
    }
  }

  function refreshBanner() {
    var saved = savedAt();
    if (saved && !isNaN(saved.getTime())) {
      if (navigator.onLine && banner && banner.getAttribute("data-kind") === "cached") {
        showBanner(text.backOnline || "", "back-online");
      } else if (!navigator.onLine || !banner) {
        showBanner((text.offlineSaved || "").replace("{time}", formatTime(saved)), "cached");
      }
    } else if (!navigator.onLine) {
      showBanner(text.offline || "", "offline");
    } else if (banner) {
      banner.hidden = true;
    }
  }

  window.addEventListener("online", refreshBanner);
  window.addEventListener("offline", refreshBanner);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refreshBanner);
  } else {
    refreshBanner();
  }

  /* --- Never submit twice ----------------------------------------------------------------- */
  function guarded(form) {
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-resubmit")) return false;
    var method = (form.getAttribute("method") || "get").toLowerCase();
    return method !== "get" && method !== "dialog";
  }

  function buttons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.type === "submit" || el.type === "image") && !el.disabled;
    });
  }

  function formMessage(form, message) {
    var note = form.querySelector("[data-offline-note]");
    if (!note) {
      note = document.createElement("p");
      note.className = "fx-offline-note";
      note.setAttribute("role", "alert");
      note.setAttribute("data-offline-note", "");
      form.appendChild(note);
    }
    note.textContent = message;
    note.hidden = false;
  }

  function clearMessage(form) {
    var note = form.querySelector("[data-offline-note]");
    if (note) note.hidden = true;
  }

  function lock(form) {
    form.setAttribute("data-submitting", "");
    form.setAttribute("aria-busy", "true");
    /* After the submit event: a button disabled now would drop its name=value from the data. */
    window.setTimeout(function () {
      buttons(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("data-locked", "");
      });
    }, 0);
  }

  function unlock(form) {
    form.removeAttribute("data-submitting");
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("[data-locked]"), function (button) {
      button.disabled = false;
      button.removeAttribute("data-locked");
    });
  }

  /* Returns true when the form may go: online and not already on its way. */
  function mayGo(form) {
    if (!navigator.onLine) {
      formMessage(form, text.nothingSent || "");
      return false;
    }
    if (form.hasAttribute("data-submitting")) return false;
    clearMessage(form);
    return true;
  }

  // Capture: runs before any handler of the form itself.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!guarded(form) || mayGo(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true
  );
  // Bubble: a form that a script sends itself (preventDefault) is left to that script.
  document.addEventListener("submit", function (event) {
    if (guarded(event.target) && !event.defaultPrevented) lock(event.target);
  });

  // form.submit() (a select's onchange) fires no submit event.
  var nativeSubmit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (guarded(this)) {
      if (!mayGo(this)) return;
      lock(this);
    }
    return nativeSubmit.call(this);
  };

  function unlockAll() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), unlock);
  }
  // Back from the next page (back-forward cache): the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) unlockAll();
  });
  // A script that sends a form itself reports a failure with this event.
  document.addEventListener("fx:submit-error", function (event) {
    if (event.target instanceof HTMLFormElement) unlock(event.target);
    else unlockAll();
  });
})();
