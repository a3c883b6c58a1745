// A1 business cabinet: the Супервайзер's «Лицевой счет» select switches the account as
// soon as another is chosen (the «Выбрать» button does the same without a script);
// «Выбрать всех» ticks every subscriber of «Детализация на Email» and «Выбрано
// абонентов N» follows the ticks (without a script the server counts «Выбрать всех»).
// Elements are found by data-* attributes: a restyled page has other ids and classes.
(function () {
  "use strict";

  var select = document.querySelector("[data-account-select]");
  var form = document.querySelector("[data-account-form]");
  if (select && form) {
    select.addEventListener("change", function () {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }

  var all = document.querySelector("[data-select-all]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-number]"));
  var count = document.querySelector("[data-selected-count]");
  var update = function () {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    if (count) {
      count.textContent = (count.getAttribute("data-template") || "{count}")
        .replace("{count}", String(ticked));
    }
    if (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
    }
  };
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
})();
