/* "Notify me on this phone": subscribes this browser to web push through the service worker.
   The switch (templates/pwa/push_optin.html) stays hidden unless the browser has service workers
   and PushManager and GET /api/v1/push/key/ answers 200 with {"public_key": ...}. */
(function () {
  "use strict";
  var box = document.querySelector("[data-push-optin]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var toggle = box.querySelector("[data-push-switch]");
  var status = box.querySelector("[data-push-status]");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]");
  var publicKey = null;

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function send(method, body) {
    return fetch(box.dataset.subscriptionsUrl, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error("push subscription answered " + response.status);
      return response;
    });
  }

  function say(message) {
    status.textContent = message || "";
  }

  function subscribe(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        say(box.dataset.denied);
        toggle.checked = false;
        return null;
      }
      return registration.pushManager
        .subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) })
        .then(function (subscription) {
          return send("POST", subscription.toJSON());
        });
    });
  }

  function unsubscribe(registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return send("DELETE", { endpoint: endpoint });
      });
    });
  }

  toggle.addEventListener("change", function () {
    var wanted = toggle.checked;
    toggle.disabled = true;
    say("");
    navigator.serviceWorker.ready
      .then(function (registration) {
        return wanted ? subscribe(registration) : unsubscribe(registration);
      })
      .catch(function () {
        toggle.checked = !wanted;
        say(box.dataset.failed);
      })
      .then(function () {
        toggle.disabled = false;
      });
  });

  fetch(box.dataset.keyUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      // 404: push is off on this server; the switch stays hidden.
      return response.status === 200 ? response.json() : null;
    })
    .then(function (data) {
      if (!data || !data.public_key) return null;
      publicKey = data.public_key;
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.getSubscription().then(function (subscription) {
          toggle.checked = Boolean(subscription) && Notification.permission === "granted";
          box.hidden = false;
        });
      });
    })
    .catch(function () {
      /* Offline or no API: nothing to offer. */
    });
})();
