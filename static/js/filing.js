// The owner's details matter only when an attorney files: show them only then.
// Without JavaScript both fields simply stay visible.
(function () {
  var radios = document.querySelectorAll("input[name=relation]");
  if (!radios.length) return;
  var blocks = ["div_id_owner_national_id", "div_id_owner_name"]
    .map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  function update() {
    var checked = document.querySelector("input[name=relation]:checked");
    var attorney = checked && checked.value === "attorney";
    blocks.forEach(function (block) { block.hidden = !attorney; });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
