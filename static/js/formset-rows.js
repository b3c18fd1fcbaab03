// Adds a blank row to a formset from its <template>; without JavaScript the blank rows already there are enough.
document.querySelectorAll("[data-formset-add]").forEach(function (button) {
  var prefix = button.getAttribute("data-formset-add");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  var template = document.getElementById(prefix + "-template");
  var rows = document.getElementById(prefix + "-rows");
  if (!total || !template || !rows) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("select, input, textarea");
    if (first) first.focus();
  });
});
