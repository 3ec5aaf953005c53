// SPDX-License-Identifier: AGPL-3.0-or-later
// Live pages over the /ws/meldingen/ websocket (issue 15):
// - the unread-notification count in the header;
// - parts of a page marked data-ijam-live="<topic> …" (the inbox, the work overview, a case's
//   tasks) fetch themselves again when the server says their topic changed. The message
//   names only the topic; the page comes through the normal views, so it shows exactly
//   what a reload would show. A page with data-ijam-follow-case="<id>" asks to follow that
//   case (the server checks that the user may see it).
// - When the connection drops, it reconnects with back-off (1 s doubling to 60 s) and then
//   fetches every live part once, so nothing missed in between stays missing.
// Without websockets the page simply shows the news on the next load.
(function () {
  "use strict";
  if (!("WebSocket" in window)) return;
  var badge = document.querySelector("[data-ijam-unread]");
  var status = document.getElementById("ijam-live-status");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var delay = 1000;
  var opened = false;
  var due = {};
  var timer = null;

  function regions(topic) {
    var found = [];
    document.querySelectorAll("[data-ijam-live]").forEach(function (element) {
      var topics = element.getAttribute("data-ijam-live").split(/\s+/);
      if (topic === null || topics.indexOf(topic) !== -1) found.push(element);
    });
    return found;
  }

  function refresh() {
    timer = null;
    var ids = Object.keys(due);
    due = {};
    if (!ids.length || !window.htmx) return;
    ids.forEach(function (id) {
      window.htmx.ajax("GET", window.location.href, {
        target: "#" + id, select: "#" + id, swap: "outerHTML"
      }).then(function () {
        if (status) status.textContent = "Deze pagina is bijgewerkt.";
      });
    });
  }

  function schedule(elements) {
    elements.forEach(function (element) { if (element.id) due[element.id] = true; });
    // Several changes in a row (an agenda with many tasks) give one fetch.
    if (!timer) timer = window.setTimeout(refresh, 250);
  }

  function follow(socket) {
    document.querySelectorAll("[data-ijam-follow-case]").forEach(function (element) {
      var id = parseInt(element.getAttribute("data-ijam-follow-case"), 10);
      if (id > 0) socket.send(JSON.stringify({ follow: "case", id: id }));
    });
  }

  function connect() {
    var socket = new WebSocket(scheme + window.location.host + "/ws/meldingen/");
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (badge && typeof data.unread === "number") {
        badge.firstChild.nodeValue = String(data.unread);
      }
      if (typeof data.changed === "string") schedule(regions(data.changed));
    };
    socket.onopen = function () {
      delay = 1000;
      follow(socket);
      if (opened) schedule(regions(null)); // back after a drop: catch up
      opened = true;
      document.documentElement.setAttribute("data-ijam-live-connected", "true");
    };
    socket.onclose = function () {
      document.documentElement.removeAttribute("data-ijam-live-connected");
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, delay);
    };
  }
  connect();
})();
