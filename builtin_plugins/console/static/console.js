// Live panels (data-refresh: seconds) reload their fragment while the page is visible; lazy panels
// (data-lazy) load theirs once after the page shows. Read-only: GET requests only.
(function () {
  "use strict";
  function load(section) {
    return fetch(section.dataset.fragment, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        section.querySelector(".body").innerHTML = html;
        section.dataset.loaded = String(Date.now());
      })
      .catch(function (error) {
        section.querySelector(".body").insertAdjacentHTML("afterbegin", "");
        section.dataset.failed = String(error);
      });
  }
  document.querySelectorAll("section[data-lazy]").forEach(load);
  document.querySelectorAll("section[data-refresh]").forEach(function (section) {
    var every = Math.max(1, parseFloat(section.dataset.refresh)) * 1000;
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      load(section).finally(function () { busy = false; });
    }, every);
  });
})();
