// Forms marked data-keep-typed: leaving the page some other way than by the form's own buttons
// (the browser's back button, closing the tab, a link in the menu) after typing asks first.
// The form's buttons (save, back, the step pills) submit it, and the server keeps what was typed.
(function () {
  var forms = document.querySelectorAll("form[data-keep-typed]");
  if (!forms.length) return;
  var dirty = false;
  forms.forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
