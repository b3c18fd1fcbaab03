// The dues lines of an answer: add and remove rows freely (up to the formset's maximum) and see
// the running total in rials. Rows are renumbered after a removal so the formset's indices stay
// 0..n-1 and TOTAL_FORMS says how many rows there are. Without JavaScript the page still offers
// its rows (one more than the lines already there) and the server adds them up.
(function () {
  var box = document.querySelector("[data-dues]");
  if (!box) return;
  var prefix = box.dataset.duesPrefix;
  var max = parseInt(box.dataset.duesMax, 10) || 20;
  var limit = parseInt(box.dataset.duesLimit, 10) || 0;
  var list = box.querySelector("[data-dues-rows]");
  var template = box.querySelector("template[data-dues-template]");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var addButton = box.querySelector("[data-dues-add]");
  var totalLine = box.querySelector("[data-dues-total-line]");
  var totalOut = box.querySelector("[data-dues-total]");
  var persian = (document.documentElement.lang || "").indexOf("fa") === 0;
  var indexPattern = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-due-row]"));
  }

  function localDigits(text) {
    if (!persian) return text;
    return text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06f0 + +d); });
  }

  function grouped(number) {
    var text = String(number).replace(/\B(?=(\d{3})+(?!\d))/g, persian ? "\u066c" : ",");
    return localDigits(text);
  }

  // What NormalizedIntegerField takes: Persian, Arabic-Indic or Latin digits, with spaces, commas,
  // the Arabic thousands separator or underscores between groups. Anything else: not a number.
  function amount(text) {
    var ascii = text
      .replace(/[\u06f0-\u06f9]/g, function (d) { return String(d.charCodeAt(0) - 0x06f0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\s\u066c,_]/g, "");
    if (ascii === "") return 0;
    if (!/^[0-9]{1,15}$/.test(ascii)) return null;
    return parseInt(ascii, 10);
  }

  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelectorAll("[id],[name],[for],[aria-describedby]").forEach(function (el) {
        ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (!value) return;
          var renamed = value.replace(indexPattern, prefix + "-" + index + "-");
          if (renamed !== value) el.setAttribute(attr, renamed);
        });
      });
      row.querySelectorAll("[data-due-number]").forEach(function (el) {
        el.textContent = localDigits(String(index + 1));
      });
    });
    total.value = String(rows().length);
    addButton.disabled = rows().length >= max;
    rows().forEach(function (row) {
      // Removing the only row empties it instead, so there is always a row to type in.
      row.querySelector("[data-dues-remove]").hidden = false;
    });
  }

  function update() {
    var sum = 0;
    var readable = true;
    rows().forEach(function (row) {
      var input = row.querySelector("input[name$='-amount_rials']");
      var value = input ? amount(input.value) : 0;
      if (value === null) readable = false;
      else sum += value;
    });
    totalOut.textContent = readable ? grouped(sum) : "—";
    var over = readable && limit && sum > limit;
    totalLine.classList.toggle("text-danger", !!over);
  }

  function add() {
    if (rows().length >= max) return;
    var fragment = template.content.cloneNode(true);
    list.appendChild(fragment);
    renumber();
    update();
    var added = rows()[rows().length - 1];
    var first = added.querySelector("input");
    if (first) first.focus();
  }

  function remove(row) {
    if (rows().length === 1) {
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    } else {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (next) {
        var input = next.querySelector("input");
        if (input) input.focus();
      }
    }
    renumber();
    update();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dues-remove]");
    if (button) remove(button.closest("[data-due-row]"));
  });
  list.addEventListener("input", update);
  addButton.addEventListener("click", add);
  addButton.hidden = false;
  totalLine.hidden = false;
  renumber();
  update();
})();
