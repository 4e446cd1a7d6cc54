// The files of a version just published are rendered in the background: the line that
// counts them (data-files: the API's list of the version's files) is brought up to date
// every two seconds until every file is ready. Its texts come from the page, in its
// language: data-text ("{ready}" and "{total}" replaced), data-done.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-files]"), function (line) {
    var bar = line.querySelector("progress");
    var text = line.querySelector("span");
    function poll() {
      fetch(line.dataset.files, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (files) {
          bar.value = files.ready;
          bar.max = files.total;
          if (files.ready >= files.total) {
            text.textContent = line.dataset.done;
            var hint = line.querySelector("small");
            if (hint) hint.remove();
          } else {
            text.textContent = line.dataset.text.replace("{ready}", files.ready).replace("{total}", files.total);
            setTimeout(poll, 2000);
          }
        })
        .catch(function () { setTimeout(poll, 10000); });
    }
    setTimeout(poll, 1000);
  });
})();
