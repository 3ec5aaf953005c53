// SPDX-License-Identifier: AGPL-3.0-or-later
// Warns before the session ends (ijam/sessions.py, ADR 0015). The server writes the seconds
// left on <body data-ijam-session-*>; shortly before the end this asks the server again (the
// user may have been active in another tab; asking is not activity) and, if the end is still
// near, opens an alert dialog. "Ingelogd blijven" renews the idle time (POST with the CSRF
// token); at the end the page reloads, so the server shows the log-in page and personal data
// no longer stays on the screen.
(function () {
  "use strict";
  var body = document.body;
  var data = body.dataset;
  var dialog = document.getElementById("ijam-session-warning");
  if (!data.ijamSessionStatus || !dialog || typeof dialog.showModal !== "function") return;

  var warnSeconds = Number(data.ijamSessionWarn);
  var title = document.getElementById("ijam-session-warning-title");
  var text = document.getElementById("ijam-session-warning-text");
  var stay = dialog.querySelector("[data-ijam-session-stay]");
  var close = dialog.querySelector("[data-ijam-session-close]");
  var timers = [];

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function minutes(seconds) {
    var n = Math.max(1, Math.ceil(seconds / 60));
    return n === 1 ? "1 minuut" : n + " minuten";
  }

  function clearTimers() {
    timers.forEach(window.clearTimeout);
    timers = [];
  }

  function end() {
    // A GET of the same page: the server ends the session and sends the log-in page.
    window.location.assign(window.location.pathname + window.location.search);
  }

  function schedule(left) {
    clearTimers();
    var seconds = Math.min(left.idle_seconds, left.max_seconds);
    timers.push(window.setTimeout(check, Math.max(0, seconds - warnSeconds) * 1000));
    timers.push(window.setTimeout(function () { check(true); }, seconds * 1000 + 500));
  }

  function show(left) {
    var byMaximum = left.max_seconds <= left.idle_seconds;
    var seconds = Math.min(left.idle_seconds, left.max_seconds);
    if (byMaximum) {
      title.textContent = "Uw sessie eindigt over " + minutes(seconds);
      text.textContent = "U bent bijna de maximale tijd van een sessie ingelogd. Sla uw werk op; " +
        "daarna logt u opnieuw in.";
    } else {
      title.textContent = "U wordt over " + minutes(seconds) + " uitgelogd";
    }
    stay.hidden = byMaximum;
    close.hidden = !byMaximum;
    if (!dialog.open) dialog.showModal();
  }

  function answer(response) {
    if (response.status === 401) {
      end();
      return null;
    }
    return response.ok ? response.json() : null;
  }

  function check(atEnd) {
    fetch(data.ijamSessionStatus, {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-IJAM-Background": "1" },
    })
      .then(answer)
      .then(function (left) {
        if (!left) return;
        var seconds = Math.min(left.idle_seconds, left.max_seconds);
        if (seconds <= 0 && atEnd) {
          end();
        } else if (seconds > warnSeconds + 1) {
          if (dialog.open) dialog.close();
          schedule(left);
        } else {
          show(left);
          schedule(left);
        }
      })
      .catch(function () {
        if (atEnd) end();
      });
  }

  stay.addEventListener("click", function () {
    fetch(data.ijamSessionRenew, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    })
      .then(answer)
      .then(function (left) {
        if (!left) return;
        dialog.close();
        schedule(left);
      });
  });
  close.addEventListener("click", function () { dialog.close(); });

  schedule({
    idle_seconds: Number(data.ijamSessionIdle),
    max_seconds: Number(data.ijamSessionMax),
  });
})();
