// Autosave of the initial report: each indicator's form is saved shortly after
// typing stops, and at once when the page is hidden or closed, so nothing is lost.
// Without this script the forms still work with their Save buttons.
(function () {
  "use strict";
  var DELAY = 800;
  var lang = document.documentElement.lang;
  var text = lang === "fr"
    ? { saving: "Enregistrement…", saved: "Enregistré", failed: "Non enregistré : " }
    : { saving: "Saving…", saved: "Saved", failed: "Not saved: " };

  // One save at a time per form: a save sent while another is on its way would carry
  // the same version and be refused; it is sent when the first one has answered.
  function save(form, keepalive) {
    clearTimeout(form._timer);
    if (!form._dirty) return Promise.resolve();
    var body = new FormData(form);
    if (form._inflight) {
      if (!keepalive) {
        form._again = true;
        return form._inflight;
      }
      // The page is going away and cannot wait for the answer: send this tab's latest
      // text without a version, so that it follows the save still on its way.
      body.delete("version");
    }
    form._dirty = false;
    var status = form.querySelector("[data-status]");
    status.textContent = text.saving;
    form._inflight = fetch(form.action, {
      method: "POST", body: body, keepalive: !!keepalive,
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          status.textContent = text.failed + (body.detail || response.status);
          status.classList.add("bad");
          return;
        }
        status.classList.remove("bad");
        status.textContent = text.saved + " " + new Date().toLocaleTimeString(lang);
        form.querySelector("input[name=version]").value = body.version;
        form.closest(".entry").classList.toggle("complete", body.complete);
        update(body);
      });
    }).catch(function () {
      form._dirty = true;
      status.textContent = text.failed + "offline";
      status.classList.add("bad");
    }).then(function () {
      form._inflight = null;
      if (form._again) {
        form._again = false;
        return save(form, keepalive);
      }
    });
    return form._inflight;
  }

  function update(body) {
    var bar = document.querySelector("[data-progress]");
    if (bar) bar.value = body.completed;
    var label = document.querySelector("[data-progress-text]");
    if (label) label.textContent = label.textContent.replace(/^\d+/, body.completed);
    Object.keys(body.pillars).forEach(function (code) {
      var p = document.querySelector('[data-pillar="' + code + '"]');
      var t = document.querySelector('[data-pillar-text="' + code + '"]');
      if (p) p.value = body.pillars[code][0];
      if (t) t.textContent = body.pillars[code][0] + "/" + body.pillars[code][1];
    });
  }

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
  forms.forEach(function (form) {
    form.addEventListener("input", function () {
      form._dirty = true;
      clearTimeout(form._timer);
      form._timer = setTimeout(function () { save(form); }, DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form._dirty = true;
      save(form);
    });
  });
  function flush() { forms.forEach(function (form) { save(form, true); }); }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
})();
