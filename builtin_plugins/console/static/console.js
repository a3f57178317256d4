// Live panels (data-refresh: seconds) reload their fragment while the page is visible; lazy panels
// (data-lazy) load theirs once after the page shows. A reload that fails says so at the top of the
// panel (what it shows is then as last read); the overview's status updates the heading's. GET only.
(function () {
  "use strict";
  function notice(section, text) {
    var old = section.querySelector(".stale");
    if (old) { old.remove(); }
    if (!text) { return; }
    var line = document.createElement("p");
    line.className = "stale";
    line.textContent = text;
    section.querySelector(".body").prepend(line);
  }
  function load(section) {
    return fetch(section.dataset.fragment, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status === 404 ? "the stack is gone (HTTP 404)" :
            response.status === 502 ? "the target cannot be read (HTTP 502): reload for its message" :
            "HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        section.querySelector(".body").innerHTML = html;
        section.dataset.loaded = String(Date.now());
        delete section.dataset.failed;
        if (section.dataset.panel === "overview") {
          var status = section.querySelector('td[data-column="value"]');
          var heading = document.getElementById("stack-status");
          if (status && heading) { heading.textContent = status.textContent; }
        }
      })
      .catch(function (error) {
        section.dataset.failed = String(error);
        notice(section, "could not refresh: " + error.message + "; shown as read at " +
          new Date(Number(section.dataset.loaded || Date.now())).toLocaleTimeString());
      });
  }
  document.querySelectorAll("section[data-lazy]").forEach(load);
  document.querySelectorAll("section[data-refresh]").forEach(function (section) {
    var seconds = parseFloat(section.dataset.refresh);
    if (!isFinite(seconds)) { return; }
    var every = Math.max(1, seconds) * 1000;
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      load(section).finally(function () { busy = false; });
    }, every);
  });
})();
