// Autosave of the pages written indicator by indicator (the officer's initial report, a
// peer's preparatory review): each indicator's form is saved shortly after typing stops,
// and at once when the page is hidden or closed, so nothing is lost.
//
// - Every edit is also kept in this browser (localStorage) until the server has it: it
//   survives a reload, a lost connection or an expired session, and is restored (and
//   saved) when the page opens again.
// - Offline, saves are retried when the connection returns, and every 20 s meanwhile.
// - A refused save shows each field's message beside that field (``field`` in each of the
//   answer's errors names the form's field, else the first part of its ``loc``).
// - A save refused because the entry changed elsewhere (412) keeps the user's text and
//   shows what is saved now, by whom and when (the answer's ``detail`` and ``differences``,
//   each ``{label, text}``): one click takes theirs (``current``: the form's fields as
//   saved, with ``version``), one keeps mine.
//
// A form's fields are all its named fields but the token and the version. A form whose
// fields come and go (a list of people) hears "inti:fill" with the values about to be put
// in, so that it can make the fields they name first.
//
// Texts come from the script tag's data attributes, in the page's language. Without this
// script the forms still work with their Save buttons.
(function () {
  "use strict";
  var DELAY = 800;
  var RETRY = 20000;
  var script = document.currentScript;
  var text = script ? script.dataset : {};
  var lang = document.documentElement.lang;
  var storage = (function () {
    try { localStorage.setItem("inti:test", "1"); localStorage.removeItem("inti:test"); return localStorage; }
    catch (e) { return null; }
  })();
  var SKIPPED = ["csrf_token", "version"];
  var NOT_TYPED = ["submit", "button", "reset", "file"];

  // Per person as well as per indicator: on a shared computer, a draft left by one person
  // is never put into another's form.
  function key(form) { return "inti:draft:" + (text.user || "") + ":" + form.getAttribute("action"); }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && SKIPPED.indexOf(el.name) < 0 && NOT_TYPED.indexOf(el.type) < 0;
    });
  }

  function values(form) {
    var out = {};
    fields(form).forEach(function (field) {
      if (field.type === "radio") {
        if (!(field.name in out)) out[field.name] = "";
        if (field.checked) out[field.name] = field.value;
      } else if (field.type === "checkbox") {
        out[field.name] = field.checked ? field.value : "";
      } else {
        out[field.name] = field.value;
      }
    });
    return out;
  }

  function fill(form, data) {
    form.dispatchEvent(new CustomEvent("inti:fill", { detail: data }));
    fields(form).forEach(function (field) {
      if (!(field.name in data)) return;
      if (field.type === "radio") {
        field.checked = field.value === data[field.name];
      } else if (field.type === "checkbox") {
        field.checked = !!data[field.name];
      } else {
        field.value = data[field.name];
        grow(field);
      }
    });
  }

  function keep(form) {
    if (!storage) return;
    try {
      storage.setItem(key(form), JSON.stringify({
        values: values(form), version: form.elements.version.value, at: Date.now()
      }));
    } catch (e) { /* storage full: the server save still runs */ }
  }

  function forget(form) { if (storage) storage.removeItem(key(form)); }

  function status(form, message, bad) {
    var el = form.querySelector("[data-status]");
    el.textContent = message;
    el.classList.toggle("bad", !!bad);
    form.closest(".entry").classList.toggle("unsaved", !!bad);
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error, .conflict"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
  }

  function showErrors(form, errors) {
    (errors || []).forEach(function (error, n) {
      var name = error.field || (error.loc && error.loc[0]);
      var field = name && form.elements[name];
      var place = field && (field.tagName ? field : field[0]);
      // beside a group of radio buttons, after its legend's fieldset; else after the field's label
      var host = place ? ((place.type === "radio" && place.closest("fieldset")) || place.closest("label")
                          || place.parentNode) : null;
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = form.closest(".entry").id + "-error-" + n;
      p.textContent = (error.label && error.loc.length > 1 ? error.label + (lang === "fr" ? "\u00a0: " : ": ") : "")
        + error.msg;
      if (host) {
        host.appendChild(p);
        if (place.tagName) {
          place.setAttribute("aria-invalid", "true");
          place.setAttribute("aria-describedby", p.id);
        }
      } else {
        form.querySelector("[data-status]").parentNode.before(p);
      }
    });
  }

  function showConflict(form, body) {
    var box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    var when = body.saved_at ? new Date(body.saved_at).toLocaleString(lang, {
      day: "numeric", month: "long", hour: "2-digit", minute: "2-digit"}) : "";
    var p = document.createElement("p");
    p.textContent = (body.detail || "").replace("{time}", when);
    box.appendChild(p);
    var theirs = body.current || {};
    var dl = document.createElement("dl");
    (body.differences || []).forEach(function (difference) {
      var dt = document.createElement("dt"); dt.textContent = difference.label;
      var dd = document.createElement("dd"); dd.textContent = difference.text || "—";
      dl.appendChild(dt); dl.appendChild(dd);
    });
    box.appendChild(dl);
    var row = document.createElement("div");
    row.className = "actions";
    var take = document.createElement("button");
    take.type = "button"; take.className = "secondary"; take.textContent = text.takeTheirs;
    take.addEventListener("click", function () {
      fill(form, theirs);
      form.elements.version.value = theirs.version;
      form._dirty = false;
      form._conflict = false;
      forget(form);
      box.remove();
      status(form, text.tookTheirs);
    });
    var mine = document.createElement("button");
    mine.type = "button"; mine.textContent = text.keepMine;
    mine.addEventListener("click", function () {
      form.elements.version.value = theirs.version;  // mine replaces theirs, knowingly
      form._conflict = false;
      box.remove();
      form._dirty = true;
      save(form);
    });
    row.appendChild(take); row.appendChild(mine);
    box.appendChild(row);
    form.querySelector("[data-status]").parentNode.before(box);
  }

  // One save at a time per form: a save sent while another is on its way would carry
  // the same version and be refused; it is sent when the first one has answered.
  function save(form, keepalive) {
    clearTimeout(form._timer);
    if (!form._dirty || form._conflict) return Promise.resolve();
    var body = new FormData(form);
    if (form._inflight) {
      if (!keepalive) {
        form._again = true;
        return form._inflight;
      }
      // The page is going away and cannot wait for the answer: send this tab's latest text
      // with the version it was based on. If the save on its way got there first, this one
      // is refused (412) rather than overwriting anything unseen; the text stays in this
      // browser and comes back, with both versions, when the page is opened again.
    }
    form._dirty = false;
    status(form, text.saving);
    form._inflight = fetch(form.action, {
      method: "POST", body: body, keepalive: !!keepalive,
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (response.redirected || type.indexOf("json") < 0) {  // logged out: sent to the login page
        form._dirty = true;
        status(form, text.expired, true);
        return;
      }
      return response.json().then(function (answer) {
        clearErrors(form);
        if (response.status === 412 && answer.current) {
          form._conflict = true;
          status(form, text.conflict, true);
          showConflict(form, answer);
          return;
        }
        if (!response.ok) {
          status(form, text.failed + (answer.detail || response.status), true);
          showErrors(form, answer.errors);
          if (response.status >= 500) form._dirty = true;  // tried again later
          return;
        }
        form._conflict = false;
        form.elements.version.value = answer.version;
        if (!form._dirty) forget(form);
        status(form, text.saved + " " + new Date().toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit"}));
        form.closest(".entry").classList.toggle("complete", answer.complete);
        update(answer);
      });
    }).catch(function () {
      form._dirty = true;
      status(form, text.offline, true);
    }).then(function () {
      form._inflight = null;
      if (form._again) {
        form._again = false;
        return save(form, keepalive);
      }
    });
    return form._inflight;
  }

  // The page's progress, where the answer brings it (a report's text answers without it).
  function update(body) {
    var bar = document.querySelector("[data-progress]");
    var label = document.querySelector("[data-progress-text]");
    if (body.completed !== undefined) {
      if (bar) bar.value = body.completed;
      if (label) label.textContent = label.textContent.replace(/^\d+/, body.completed);
    }
    Object.keys(body.pillars || {}).forEach(function (code) {
      var p = document.querySelector('[data-pillar="' + code + '"]');
      if (p) p.value = body.pillars[code][0];
      [code, code + "-nav"].forEach(function (name) {
        var t = document.querySelector('[data-pillar-text="' + name + '"]');
        if (t) t.textContent = body.pillars[code][0] + "/" + body.pillars[code][1];
      });
    });
    document.dispatchEvent(new CustomEvent("inti:saved", { detail: body }));
  }

  // Textareas grow with their text (up to the CSS max-height, then they scroll).
  function grow(area) {
    if (area.tagName !== "TEXTAREA") return;
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 2) + "px";
  }

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
  forms.forEach(function (form) {
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), grow);
    form.addEventListener("input", function (event) {
      grow(event.target);
      form._dirty = true;
      keep(form);
      clearTimeout(form._timer);
      form._timer = setTimeout(function () { save(form); }, DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form._dirty = true;
      save(form);
    });
    // An edit this browser kept but the server never confirmed: put it back and save it.
    var kept = storage && storage.getItem(key(form));
    if (kept) {
      try {
        var draft = JSON.parse(kept);
        if (JSON.stringify(draft.values) !== JSON.stringify(values(form))) {
          fill(form, draft.values);
          form.elements.version.value = draft.version;
          form._dirty = true;
          status(form, text.restored);
          save(form);
        } else {
          forget(form);
        }
      } catch (e) { forget(form); }
    }
  });
  // Documents are sent by script too: the card shows the new document, or why it was
  // refused, without leaving the page (the page's flash says the same without script).
  Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), function (upload) {
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var note = upload.querySelector("[data-upload-status]");
      var card = upload.closest(".entry");
      Array.prototype.forEach.call(card.querySelectorAll(".documents .field-error"), function (el) { el.remove(); });
      note.textContent = text.uploading;
      note.classList.remove("bad");
      fetch(upload.action, {
        method: "POST", body: new FormData(upload), headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (response.redirected || type.indexOf("json") < 0) {
          note.textContent = text.expired;
          note.classList.add("bad");
          return;
        }
        return response.json().then(function (answer) {
          if (!response.ok) {
            note.textContent = "";
            var p = document.createElement("p");
            p.className = "field-error";
            p.setAttribute("role", "alert");
            p.textContent = answer.detail + (answer.errors || []).map(function (e) { return " " + e.msg; }).join("");
            upload.before(p);
            return;
          }
          var list = card.querySelector("[data-documents]");
          var empty = list.querySelector("[data-no-documents]");
          if (empty) empty.remove();
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = answer.url; a.textContent = answer.title; a.setAttribute("download", "");
          li.appendChild(a);
          list.appendChild(li);
          var form = card.querySelector("form[data-autosave]");
          if (form) form.elements.version.value = answer.version;
          note.textContent = answer.message;
          upload.reset();
        });
      }).catch(function () {
        note.textContent = text.offline;
        note.classList.add("bad");
      });
    });
  });

  // The bar of pillars and dimensions stays on screen: what a link scrolls to lands below it.
  var bar = document.querySelector(".report-nav");
  function barHeight() {
    if (bar) document.documentElement.style.setProperty("--nav-height", bar.offsetHeight + "px");
  }
  barHeight();
  window.addEventListener("resize", barHeight);

  // "Next unfinished": the first card below the top of the screen that is not complete.
  var next = document.querySelector("[data-next-unfinished]");
  if (next) {
    next.addEventListener("click", function (event) {
      var cards = Array.prototype.slice.call(document.querySelectorAll("article.entry:not(.complete)"));
      var offset = (document.querySelector(".report-nav") || {offsetHeight: 0}).offsetHeight + 8;
      var target = cards.filter(function (c) { return c.getBoundingClientRect().top > offset + 4; })[0] || cards[0];
      if (!target) return;
      event.preventDefault();
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      target.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
      var first = target.querySelector("input:not([type=hidden]), textarea");
      if (first) first.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + target.id);
    });
  }

  function retry() {
    forms.forEach(function (form) { if (form._dirty && !form._inflight) save(form); });
  }
  window.addEventListener("online", retry);
  setInterval(retry, RETRY);
  function flush() { forms.forEach(function (form) { save(form, true); }); }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
})();
