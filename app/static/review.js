// The people to meet on a preparatory review's cards: a row per person, and always an empty
// one at the end to type the next in; "Remove" takes a row away, and a responsible person of
// the host's initial report is added in one click. Each change is an edit of the card's form,
// which autosave.js saves (load this script first: it also rebuilds the rows when autosave.js
// puts a draft or the saved version back in the form, "inti:fill").
//
// Without this script the same buttons post the card, and the server adds or removes the person.
(function () {
  "use strict";
  var TEXTS = ["name", "role", "organisation"];

  function rows(form) { return Array.prototype.slice.call(form.querySelectorAll("[data-person]")); }

  function field(row, name) { return row.querySelector("input[name$='-" + name + "']"); }

  function isEmpty(row) {
    return TEXTS.every(function (name) { return !field(row, name).value.trim(); });
  }

  function addRow(form, number) {
    var template = form.querySelector("template[data-person-template]");
    var holder = document.createElement("ol");
    holder.innerHTML = template.innerHTML.replace(/__N__/g, String(number)).trim();
    var row = holder.firstElementChild;
    form.querySelector("[data-people-rows]").appendChild(row);
    return row;
  }

  function nextNumber(form) {
    return rows(form).reduce(function (most, row) { return Math.max(most, Number(row.dataset.person)); }, -1) + 1;
  }

  // An empty row at the end, always: where the next person is typed.
  function keepEmptyRow(form) {
    var all = rows(form);
    if (!all.length || !isEmpty(all[all.length - 1])) addRow(form, nextNumber(form));
  }

  function edited(form) {
    markAdded(form);
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The host's people already among the people to meet say so (and lead to their row).
  function markAdded(form) {
    var names = rows(form).map(function (row) { return field(row, "name").value.trim().toLowerCase(); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-add-person]"), function (button) {
      button.toggleAttribute("data-added", names.indexOf(button.dataset.name.trim().toLowerCase()) >= 0);
    });
  }

  function add(form, button) {
    var name = button.dataset.name.trim().toLowerCase();
    var found = rows(form).filter(function (row) { return field(row, "name").value.trim().toLowerCase() === name; })[0];
    if (found) {
      field(found, "name").focus();
      return;
    }
    keepEmptyRow(form);
    var all = rows(form);
    var row = all[all.length - 1];
    TEXTS.forEach(function (key) { field(row, key).value = button.dataset[key] || ""; });
    keepEmptyRow(form);
    edited(form);
  }

  function remove(form, button) {
    var row = button.closest("[data-person]");
    var next = row.nextElementSibling;
    row.remove();
    keepEmptyRow(form);
    field(next && next.isConnected ? next : rows(form)[rows(form).length - 1], "name").focus();
    edited(form);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    if (!form.querySelector("[data-people-rows]")) return;
    markAdded(form);
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-person], [data-remove-person]");
      if (!button || !form.contains(button)) return;
      event.preventDefault();  // done here: the card is saved by autosave.js, not posted
      if (button.hasAttribute("data-add-person")) add(form, button);
      else remove(form, button);
    });
    form.addEventListener("input", function (event) {
      if (event.target.closest && event.target.closest("[data-person]")) {
        keepEmptyRow(form);
        markAdded(form);
      }
    });
    // The values about to be put in name their rows: make those that hold someone, then an
    // empty one.
    form.addEventListener("inti:fill", function (event) {
      var data = event.detail || {};
      var numbers = Object.keys(data).map(function (key) {
        var match = /^people-(\d+)-name$/.exec(key);
        var n = match && match[1];
        return n !== null && TEXTS.some(function (k) { return (data["people-" + n + "-" + k] || "").trim(); })
          ? Number(n) : null;
      }).filter(function (n) { return n !== null; }).sort(function (a, b) { return a - b; });
      rows(form).forEach(function (row) { row.remove(); });
      numbers.forEach(function (n) { addRow(form, n); });
      addRow(form, nextNumber(form));
      setTimeout(function () { markAdded(form); }, 0);  // once the values are in
    });
  });
})();
