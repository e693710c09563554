/* The site's service worker, served at /sw.js (pwa/views.py) with scope "/".

   Pages: network first; a public product, booth, exhibitor or home page that answered 200 is
   kept (at most MAX_PAGES, oldest dropped) and shown, marked as saved, when the network fails;
   any other page falls back to the offline page in its language. Static files: from the cache,
   refreshed in the background. Nothing else is touched: no POST or other non-GET request, no
   basket, checkout, account, company centre, admin or API answer is ever cached or replayed.

   self.FX_SW (first line of the served file) = {version, precache, offline, staticUrl}. */
"use strict";

var CONFIG = self.FX_SW || { version: "dev", precache: [], offline: { "": "/offline/" }, staticUrl: "/static/" };
var PREFIX = "fx-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var PAGE_CACHE = PREFIX + "pages-" + CONFIG.version;
var MAX_PAGES = 40;
var MAX_STATIC = 80;
var SAVED_HEADER = "X-Fx-Saved-At";

var LANG = "(?:/en)?";
var PUBLIC_PAGES = [
  new RegExp("^" + LANG + "/$"), // home
  new RegExp("^" + LANG + "/catalogue/[^/]+_\\d+/$"), // product
  new RegExp("^" + LANG + "/[^/]+/booths/[^/]+/$"), // booth in an edition
  new RegExp("^" + LANG + "/exhibitors/[^/]+/$"), // exhibitor
];
var NEVER = new RegExp(
  "^" + LANG + "/(?:basket|checkout|accounts|company|admin|django-admin|dashboard|api|payments|i18n|offline)(?:/|$)"
);
var LOGOUT = new RegExp("^" + LANG + "/accounts/logout/");

function cacheablePage(url) {
  if (url.origin !== self.location.origin || url.search) return false;
  if (NEVER.test(url.pathname)) return false;
  return PUBLIC_PAGES.some(function (pattern) {
    return pattern.test(url.pathname);
  });
}

function offlineUrl(url) {
  var first = "/" + (url.pathname.split("/")[1] || "");
  return CONFIG.offline[first] || CONFIG.offline[""];
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return cache.addAll(
          CONFIG.precache.map(function (url) {
            return new Request(url, { cache: "reload", credentials: "omit" });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX) === 0 && name !== STATIC_CACHE && name !== PAGE_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function trim(cacheName, max) {
  return caches.open(cacheName).then(function (cache) {
    return cache.keys().then(function (keys) {
      // Keys come back in insertion order; a page put again moves to the end.
      return Promise.all(
        keys.slice(0, Math.max(0, keys.length - max)).map(function (key) {
          return cache.delete(key);
        })
      );
    });
  });
}

function keepable(response) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) return false;
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return control.indexOf("no-store") === -1 && control.indexOf("private") === -1;
}

function savePage(request, response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(SAVED_HEADER, new Date().toISOString());
    var saved = new Response(body, { status: 200, statusText: response.statusText, headers: headers });
    return caches
      .open(PAGE_CACHE)
      .then(function (cache) {
        return cache.delete(request.url).then(function () {
          return cache.put(request.url, saved);
        });
      })
      .then(function () {
        return trim(PAGE_CACHE, MAX_PAGES);
      });
  });
}

/* The saved copy, with a marker the page script turns into the offline banner. */
function markedCopy(cached) {
  var savedAt = cached.headers.get(SAVED_HEADER) || "";
  return cached.text().then(function (html) {
    var marker = '<meta name="fx-offline-saved" content="' + savedAt + '">';
    var marked = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, "$&" + marker) : marker + html;
    var headers = new Headers(cached.headers);
    headers.delete("Content-Length");
    headers.delete("Content-Encoding");
    return new Response(marked, { status: 200, headers: headers });
  });
}

function offlinePage(url) {
  return caches.match(offlineUrl(url), { cacheName: STATIC_CACHE, ignoreVary: true }).then(function (page) {
    return page || Response.error();
  });
}

function navigate(event) {
  var request = event.request;
  var url = new URL(request.url);
  if (LOGOUT.test(url.pathname)) {
    // Pages saved for one person are not shown to the next one on this phone.
    event.waitUntil(caches.delete(PAGE_CACHE));
    return fetch(request);
  }
  return fetch(request)
    .then(function (response) {
      if (cacheablePage(url) && keepable(response)) {
        event.waitUntil(savePage(request, response.clone()));
      }
      return response;
    })
    .catch(function () {
      if (!cacheablePage(url)) return offlinePage(url);
      return caches.match(request.url, { cacheName: PAGE_CACHE, ignoreVary: true }).then(function (cached) {
        return cached ? markedCopy(cached) : offlinePage(url);
      });
    });
}

function staticFile(event) {
  var request = event.request;
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      var refreshed = fetch(request).then(function (response) {
        if (keepable(response)) {
          return cache.put(request, response.clone()).then(function () {
            trim(STATIC_CACHE, MAX_STATIC);
            return response;
          });
        }
        return response;
      });
      if (cached) {
        event.waitUntil(
          refreshed.catch(function () {
            return null;
          })
        );
        return cached;
      }
      return refreshed;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // Anything but GET goes straight to the network, untouched and never kept.
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0 && !url.search) {
    event.respondWith(staticFile(event));
  }
  // Everything else (API answers, media, the manifest) is left to the browser.
});

/* --- Web push: {title, body, url} ------------------------------------------------------------ */
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  var icon = CONFIG.precache.filter(function (url) {
    return /icon-192/.test(url);
  })[0];
  event.waitUntil(
    self.registration.showNotification(data.title || "", {
      body: data.body || "",
      icon: icon,
      badge: icon,
      data: { url: data.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  // Only pages of this site are opened.
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
