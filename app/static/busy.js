// A form whose work takes a while (publishing the report makes its files in every format):
// once sent, its button is disabled and a line says what is being done and for how long, so
// that nobody sends it twice or thinks it stalled. The text comes from the form's
// data-busy attribute (in the page's language); "%s" in it becomes the seconds elapsed.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var line = document.createElement("p");
      line.className = "busy";
      line.setAttribute("role", "status");
      var started = Date.now();
      function tell() { line.textContent = form.dataset.busy.replace("%s", Math.round((Date.now() - started) / 1000)); }
      tell();
      form.appendChild(line);
      setInterval(tell, 1000);
      if (button) setTimeout(function () { button.disabled = true; }, 0);  // after the submission left
    });
  });
})();
