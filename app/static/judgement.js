// The final judgement's form (app/visit/templates/visit/judgement.html): the notice that the
// judgement departs from the peers' majority, and asks for its rationale, appears as soon as
// the team leader picks another performance than the majority's; after each save the
// server's answer (``departs_from_majority``, sent to "inti:saved" by autosave.js) settles it.
// Without this script the page shows the notice once the judgement is saved.
(function () {
  "use strict";
  var form = document.querySelector("form[data-judgement]");
  if (!form) return;
  var majority = form.dataset.majority || "";
  var notice = form.querySelector("[data-departs]");

  function chosen() {
    var checked = form.querySelector("input[name=performance]:checked");
    return checked ? checked.value : "";
  }

  function show(departs) { notice.hidden = !departs; }

  function departs() {
    var value = chosen();
    return !!majority && !!value && value !== majority;
  }

  form.addEventListener("change", function () { show(departs()); });
  // A performance that departs from the majority is not saved on its own (the server would
  // refuse it without a rationale): the rationale gets the focus, and typing it saves both.
  // Registered for the capture phase, so that it runs before autosave.js's "input" listener.
  form.addEventListener("input", function (event) {
    var rationale = form.querySelector("textarea[name=rationale]");
    if (event.target.name === "performance" && departs() && rationale && !rationale.value.trim()) {
      event.stopPropagation();
      show(true);
      rationale.focus();
    }
  }, true);
  document.addEventListener("inti:saved", function (event) {
    if (event.detail && "departs_from_majority" in event.detail) show(!!event.detail.departs_from_majority);
  });
})();
