// Kcell «Кабинет»: «Выбор компании» switches the company as soon as another is chosen
// (the form is sent; the «Выбрать» button does the same without a script);
// «Отправить код повторно» counts down («Повторная отправка через N сек.») and is
// enabled when the resend delay has passed (the server checks the delay as well); the
// search tabs of «Акт выполненных работ» switch on the page (the hidden tab's field is
// disabled, so only the shown one is sent, with the tab's name in the form).
// Elements are found by data-* attributes: a restyled page has other ids and classes.
(function () {
  "use strict";

  var select = document.querySelector("[data-company-select]");
  var form = document.querySelector("[data-company-form]");
  if (select && form) {
    select.addEventListener("change", function () {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }

  var tabbed = document.querySelector("[data-tabs]");
  if (tabbed) {
    var tabs = Array.prototype.slice.call(tabbed.querySelectorAll("[data-tab]"));
    var panels = Array.prototype.slice.call(tabbed.querySelectorAll("[data-tab-panel]"));
    var chosen = tabbed.querySelector("[data-tab-value]");
    var show = function (name) {
      tabs.forEach(function (tab) {
        var on = tab.getAttribute("data-tab") === name;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
      });
      panels.forEach(function (panel) {
        var on = panel.getAttribute("data-tab-panel") === name;
        panel.hidden = !on;
        Array.prototype.slice.call(panel.querySelectorAll("input")).forEach(function (input) {
          input.disabled = !on;
        });
      });
      if (chosen) {
        chosen.value = name;
      }
    };
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        show(tab.getAttribute("data-tab"));
      });
    });
  }

  var button = document.querySelector("[data-resend-button]");
  var text = document.querySelector("[data-resend-text]");
  if (button && text) {
    var left = Number(button.getAttribute("data-resend-in")) || 0;
    var template = text.getAttribute("data-template") || "{seconds}";
    var tick = function () {
      if (left <= 0) {
        button.disabled = false;
        text.hidden = true;
        return;
      }
      text.textContent = template.replace("{seconds}", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
