// Copy buttons: <button data-copy="ID" data-copied="Copied" hidden> copies the value of the
// field with that id, then says data-copied (in the page's language) in the next element
// with role="status". Hidden without JavaScript: the field can still be selected by hand.
(function () {
  "use strict";

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).catch(function () { return selectAndCopy(field); });
    }
    return selectAndCopy(field);
  }

  // For plain-http pages and browsers without the Clipboard API: the old way.
  function selectAndCopy(field) {
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("not copied"));
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    var status = button.parentNode.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(field).then(function () {
        if (status) {
          status.textContent = button.dataset.copied;
        }
      }, function () {
        field.focus();
        field.select();  // left selected, to copy with the keyboard
      });
    });
  });
}());
