// SPDX-License-Identifier: AGPL-3.0-or-later
// Live unread-notification count in the header, over the /ws/meldingen/ websocket.
// Without websockets the count simply updates on the next page load.
(function () {
  "use strict";
  var badge = document.querySelector("[data-ijam-unread]");
  if (!badge || !("WebSocket" in window)) return;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var delay = 1000;
  function connect() {
    var socket = new WebSocket(scheme + window.location.host + "/ws/meldingen/");
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (typeof data.unread === "number") {
        badge.firstChild.nodeValue = String(data.unread);
      }
    };
    socket.onopen = function () { delay = 1000; };
    socket.onclose = function () {
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, delay);
    };
  }
  connect();
})();
