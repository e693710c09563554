"""The installable phone web app: manifest, service worker and offline page.

The views are public and hold no business rules; the service worker itself is
``static/pwa/sw.js`` and the page-side scripts are ``static/pwa/pwa.js`` and ``static/pwa/push.js``.
"""
