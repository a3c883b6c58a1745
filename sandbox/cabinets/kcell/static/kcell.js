// Kcell «Кабинет».
//
// Both markups: the search tabs of «Акт выполненных работ» switch on the page (the hidden
// tab's field is disabled, so only the shown one is sent, with the tab's name in the
// form); «Отправить код на телефон» counts down («Повторная отправка через N сек.») and is
// enabled when the resend delay has passed (the server checks the delay as well).
//
// Accessible markup: «Выбор компании» switches the company as soon as another is chosen
// (the form is sent; the «Выбрать» button does the same without a script).
//
// Single-page markup (the script tag has data-spa): after the first page load the screens
// change here. Links, clickable rows and buttons with data-href are fetched, forms are
// sent with fetch, and the screen the server renders replaces the page's body, the
// address changed with history.pushState (what pjax and Turbo do; the real cabinet is
// assumed to change screens the same way as far as a person can see). A file the answer
// carries (Content-Disposition: attachment) is saved as a Blob through a[download]. The
// custom drop-downs, the range pickers and the rows of choice buttons are wired here too;
// toasts hide after a while.
//
// Elements are found by data-* attributes: a restyled page has other ids and classes.
(function () {
  "use strict";

  var spa = Boolean(document.currentScript && document.currentScript.hasAttribute("data-spa"));
  var TOAST_S = 20;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // -- both markups -------------------------------------------------------------------

  function showTab(tab) {
    var tabbed = tab.closest("[data-tabs]");
    var name = tab.getAttribute("data-tab");
    all(tabbed, "[data-tab]").forEach(function (other) {
      var on = other.getAttribute("data-tab") === name;
      if (other.hasAttribute("aria-selected")) {
        other.setAttribute("aria-selected", on ? "true" : "false");
        other.tabIndex = on ? 0 : -1;
      }
      other.classList.toggle("on", on);
    });
    all(tabbed, "[data-tab-panel]").forEach(function (panel) {
      var on = panel.getAttribute("data-tab-panel") === name;
      panel.hidden = !on;
      all(panel, "input").forEach(function (input) {
        input.disabled = !on;
      });
    });
    var chosen = tabbed.querySelector("[data-tab-value]");
    if (chosen) {
      chosen.value = name;
    }
  }

  function countdown() {
    var button = document.querySelector("[data-resend-button]");
    var text = document.querySelector("[data-resend-text]");
    if (!button || !text) {
      return;
    }
    var left = Number(button.getAttribute("data-resend-in")) || 0;
    var template = text.getAttribute("data-template") || "{seconds}";
    var tick = function () {
      if (!button.isConnected) {
        return;
      }
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

  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-tab]");
    if (tab && tab.closest("[data-tabs]")) {
      showTab(tab);
    }
  });

  if (!spa) {
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
    countdown();
    return;
  }

  // -- the single-page app: screens -----------------------------------------------------

  function filenameOf(disposition) {
    var encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (encoded) {
      return decodeURIComponent(encoded[1]);
    }
    var plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "download";
  }

  function save(response) {
    var name = filenameOf(response.headers.get("Content-Disposition") || "");
    return response.blob().then(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () {
        URL.revokeObjectURL(url);
      }, 60000);
    });
  }

  function show(html, url, push) {
    var next = new DOMParser().parseFromString(html, "text/html");
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    if (push && url && url !== window.location.href) {
      window.history.pushState(null, "", url);
    }
    window.scrollTo(0, 0);
    start();
  }

  function answer(response, push) {
    if (/attachment/i.test(response.headers.get("Content-Disposition") || "")) {
      return save(response);
    }
    return response.text().then(function (html) {
      show(html, response.url, push);
    });
  }

  function visit(url, push) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return answer(response, push !== false);
    });
  }

  function send(form, submitter) {
    var data = new FormData(form, submitter || undefined);
    var method = ((submitter && submitter.getAttribute("formmethod")) || form.method || "get");
    var action = form.action;
    if (method.toLowerCase() === "get") {
      var query = new URLSearchParams(data).toString();
      return visit(action.split("?")[0] + (query ? "?" + query : ""));
    }
    return fetch(action, {
      method: "POST",
      credentials: "same-origin",
      body: new URLSearchParams(data),
    }).then(function (response) {
      return answer(response, true);
    });
  }

  function ownLink(link) {
    var href = link.getAttribute("href") || "";
    return (
      link.origin === window.location.origin &&
      !link.hasAttribute("download") &&
      !link.target &&
      href.charAt(0) !== "#" &&
      link.pathname.indexOf("/static/") !== 0 &&
      link.pathname.indexOf("/_sandbox/") !== 0
    );
  }

  // -- the single-page app: controls ----------------------------------------------------

  function closeDropdowns(except) {
    all(document, "[data-dropdown-items]").forEach(function (items) {
      if (items !== except) {
        items.hidden = true;
      }
    });
  }

  function choose(item) {
    var dropdown = item.closest("[data-dropdown]");
    dropdown.querySelector("[data-dropdown-value]").value = item.getAttribute("data-value");
    dropdown.querySelector("[data-dropdown-opener]").textContent = item.textContent;
    closeDropdowns(null);
    var form = dropdown.closest("form[data-submit-on-choice]");
    if (form) {
      send(form, null);
    }
  }

  // A range picker shows «26-01-2019 → 26-02-2019» (or «Сентябрь 2020 - Сентябрь 2020»);
  // what it cannot read is put back as it was.
  var DAYS = /^\s*(\d{1,2})[-.](\d{1,2})[-.](\d{4})\s*(?:→|-|—)\s*(\d{1,2})[-.](\d{1,2})[-.](\d{4})\s*$/;
  var MONTHS = /^\s*([А-Яа-яЁё]+)\s+(\d{4})\s*[-—→]\s*([А-Яа-яЁё]+)\s+(\d{4})\s*$/;

  function pad(number) {
    return (number.length < 2 ? "0" : "") + number;
  }

  function normalRange(text) {
    var days = DAYS.exec(text);
    if (days) {
      return (
        pad(days[1]) + "-" + pad(days[2]) + "-" + days[3] + " → " +
        pad(days[4]) + "-" + pad(days[5]) + "-" + days[6]
      );
    }
    var months = MONTHS.exec(text);
    if (months) {
      var name = function (word) {
        return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
      };
      return name(months[1]) + " " + months[2] + " - " + name(months[3]) + " " + months[4];
    }
    return null;
  }

  function takeRange(input) {
    var normal = normalRange(input.value);
    input.value = normal === null ? input.getAttribute("data-shown") || input.defaultValue : normal;
    input.setAttribute("data-shown", input.value);
  }

  function hideToasts() {
    all(document, "[data-toast]").forEach(function (toast) {
      window.setTimeout(function () {
        toast.hidden = true;
      }, TOAST_S * 1000);
    });
  }

  function start() {
    countdown();
    hideToasts();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var item = target.closest("[data-dropdown-items] li");
    if (item) {
      choose(item);
      return;
    }
    var dropdown = target.closest("[data-dropdown]");
    if (dropdown) {
      var items = dropdown.querySelector("[data-dropdown-items]");
      closeDropdowns(items);
      items.hidden = !items.hidden;
      return;
    }
    closeDropdowns(null);
    var choice = target.closest("[data-choice-item]");
    if (choice) {
      var group = choice.closest("[data-choice]");
      group.querySelector("[data-choice-value]").value = choice.getAttribute("data-choice-item");
      all(group, "[data-choice-item]").forEach(function (other) {
        other.classList.toggle("on", other === choice);
      });
      return;
    }
    var toast = target.closest("[data-toast]");
    if (toast) {
      toast.hidden = true;
      return;
    }
    var go = target.closest("[data-href]");
    if (go && !go.disabled) {
      event.preventDefault();
      visit(go.getAttribute("data-href"));
      return;
    }
    var link = target.closest("a[href]");
    if (link && ownLink(link) && !event.defaultPrevented) {
      event.preventDefault();
      visit(link.href);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeDropdowns(null);
    }
    if (event.key === "Enter" && event.target.matches("[data-range]")) {
      event.preventDefault(); // a picker takes the typed period; it does not send the form
      takeRange(event.target);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-range]")) {
      takeRange(event.target);
    }
  });

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    send(event.target, event.submitter);
  });

  window.addEventListener("popstate", function () {
    visit(window.location.href, false);
  });

  start();
})();
