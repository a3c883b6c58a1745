// A1 business cabinet, single-page markup («spa»). After the first load no page is
// loaded again: links and forms go through fetch(), and the screen the server renders is
// swapped in ([data-app]). The address follows with history.pushState, except for the
// answer to a form the server did not redirect (the steps of a wizard keep their address).
// The script also draws what the server leaves to it: drop-downs, tabs, choices, ticked
// rows, tables of 10 rows a page, toasts, confirmation windows and files saved from a Blob.
// Elements are found by data-* attributes only: a restyled page has other ids and classes.
(function () {
  "use strict";

  var ROWS_PER_PAGE = 10;
  var TOAST_MS = 8000;

  function each(root, selector, action) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), action);
  }

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  // -- screens -----------------------------------------------------------------------------

  function show(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("[data-app]");
    var current = document.querySelector("[data-app]");
    if (!fresh || !current) {
      window.location.assign(url);  // not a screen of the cabinet: let the browser have it
      return;
    }
    current.replaceWith(document.adoptNode(fresh));
    document.title = doc.title;
    if (push && url !== window.location.href) {
      window.history.pushState({}, "", url);
    }
    setUp(document);
    window.scrollTo(0, 0);
  }

  function load(url, options, pushOf) {
    var request = Object.assign({ credentials: "same-origin" }, options || {});
    return fetch(url, request)
      .then(function (answer) {
        return answer.text().then(function (html) {
          show(html, answer.url, pushOf(answer));
        });
      })
      .catch(function () {
        window.location.assign(url);  // the network failed: the browser says so
      });
  }

  function visit(url) {
    return load(url, {}, function () { return true; });
  }

  function send(form, submitter) {
    var data = new FormData(form, submitter || undefined);
    var action = form.getAttribute("action") || window.location.pathname;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      var query = new URLSearchParams(data).toString();
      return visit(action + (query ? "?" + query : ""));
    }
    var multipart = (form.getAttribute("enctype") || "").indexOf("multipart") === 0;
    var body = multipart ? data : new URLSearchParams(data);
    // A form's answer keeps the address unless the server sent the browser elsewhere.
    return load(action, { method: "POST", body: body }, function (answer) {
      return answer.redirected;
    });
  }

  // -- files: fetched, then saved from a Blob --------------------------------------------

  function filenameOf(disposition) {
    var encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
    if (encoded) {
      return decodeURIComponent(encoded[1]);
    }
    var plain = /filename="([^"]*)"/i.exec(disposition || "");
    return plain ? plain[1] : "file";
  }

  function download(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (answer) {
      var type = answer.headers.get("content-type") || "";
      if (!answer.ok || type.indexOf("text/html") === 0) {
        return answer.text().then(function (html) { show(html, answer.url, false); });
      }
      var name = filenameOf(answer.headers.get("content-disposition"));
      return answer.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      });
    });
  }

  // -- toasts: what the server said, shown for a few seconds ------------------------------

  function toast(text, kind) {
    var box = document.querySelector("[data-toasts]");
    var item = document.createElement("div");
    item.className = "toast toast-" + kind;
    item.textContent = text;
    item.addEventListener("click", function () { item.remove(); });
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, TOAST_MS);
  }

  // -- drop-downs --------------------------------------------------------------------------

  function closeLists(except) {
    each(document, "[data-dd-list]", function (list) {
      if (list !== except) {
        list.hidden = true;
      }
    });
  }

  function choose(item) {
    var dropdown = closest(item, "[data-dropdown]");
    var input = dropdown.querySelector("[data-dd-value]");
    input.value = item.getAttribute("data-value");
    dropdown.querySelector("[data-dd-opener]").textContent = item.textContent;
    closeLists(null);
    if (dropdown.hasAttribute("data-submit")) {
      send(closest(dropdown, "form"));
    }
  }

  // -- choices, tabs, ticked rows ----------------------------------------------------------

  function pick(choice) {
    var group = closest(choice, "[data-choices]");
    var value = choice.getAttribute("data-choice");
    group.querySelector("[data-choice-value]").value = value;
    each(group, "[data-choice]", function (one) {
      one.toggleAttribute("data-chosen", one === choice);
    });
    each(closest(group, "form") || document, "[data-when]", function (part) {
      part.hidden = part.getAttribute("data-when") !== value;
    });
  }

  function openTab(tab) {
    var method = tab.getAttribute("data-tab");
    each(document, "[data-tab]", function (one) {
      one.toggleAttribute("data-active", one === tab);
    });
    each(document, "[data-panel]", function (panel) {
      panel.hidden = panel.getAttribute("data-panel") !== method;
    });
    window.history.replaceState({}, "", "/login?method=" + method);
  }

  function counted(table) {
    var form = closest(table, "form") || document;
    var ticked = table.querySelectorAll("tr[data-tick][data-ticked]").length;
    var all = table.querySelectorAll("tr[data-tick]").length;
    each(form, "[data-selected-count]", function (count) {
      count.textContent = count.getAttribute("data-template").replace("{count}", String(ticked));
    });
    each(form, "[data-select-all]", function (box) {
      box.toggleAttribute("data-ticked", all > 0 && ticked === all);
    });
  }

  function tick(row, on) {
    row.toggleAttribute("data-ticked", on);
    var input = row.querySelector("[data-tick-value]");
    if (input) {
      input.disabled = !on;
    }
    var mark = row.querySelector("[data-check]");
    if (mark) {
      mark.textContent = on ? "✓" : "";
    }
  }

  // -- tables of 10 rows a page ------------------------------------------------------------

  function pagerOf(table) {
    return document.querySelector("[data-pager='" + table.getAttribute("data-pages") + "']");
  }

  function turnTo(table, number) {
    var rows = table.querySelectorAll("tbody tr");
    var pages = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
    var page = Math.min(Math.max(1, number), pages);
    Array.prototype.forEach.call(rows, function (row, index) {
      row.hidden = Math.floor(index / ROWS_PER_PAGE) + 1 !== page;
    });
    var pager = pagerOf(table);
    if (!pager) {
      return;
    }
    pager.hidden = pages < 2;
    pager.querySelector("[data-page-shown]").textContent = page + " / " + pages;
    pager.querySelector("[data-page-turn=prev]").disabled = page === 1;
    pager.querySelector("[data-page-turn=next]").disabled = page === pages;
    table.setAttribute("data-page", String(page));
  }

  function setUp(root) {
    each(root, "[data-toast]", function (source) {
      toast(source.textContent.trim(), source.getAttribute("data-toast"));
      source.remove();
    });
    each(root, "table[data-pages]", function (table) { turnTo(table, 1); });
    each(root, "[data-choices]", function (group) {
      var chosen = group.querySelector("[data-choice][data-chosen]");
      if (chosen) {
        pick(chosen);
      }
    });
  }

  // -- one listener for the whole app (screens come and go) --------------------------------

  document.addEventListener("click", function (event) {
    var target = event.target;
    var item = closest(target, "[data-dd-item]");
    if (item) {
      choose(item);
      return;
    }
    var opener = closest(target, "[data-dropdown]");
    if (opener) {
      var list = opener.querySelector("[data-dd-list]");
      closeLists(list);
      list.hidden = !list.hidden;
      return;
    }
    closeLists(null);
    var tab = closest(target, "[data-tab]");
    if (tab) {
      openTab(tab);
      return;
    }
    var choice = closest(target, "[data-choice]");
    if (choice) {
      pick(choice);
      return;
    }
    var all = closest(target, "[data-select-all]");
    if (all) {
      var table = document.querySelector("table[data-tickable]");
      var on = !all.hasAttribute("data-ticked");
      each(table, "tr[data-tick]", function (row) { tick(row, on); });
      counted(table);
      return;
    }
    var turn = closest(target, "[data-page-turn]");
    if (turn) {
      var pager = closest(turn, "[data-pager]");
      var paged = document.querySelector(
        "table[data-pages='" + pager.getAttribute("data-pager") + "']");
      var page = Number(paged.getAttribute("data-page") || "1");
      turnTo(paged, turn.getAttribute("data-page-turn") === "next" ? page + 1 : page - 1);
      return;
    }
    var row = closest(target, "tr[data-tick]");
    if (row) {
      tick(row, !row.hasAttribute("data-ticked"));
      counted(closest(row, "table"));
      return;
    }
    var picked = closest(target, "tr[data-pick]");
    if (picked) {  // a subscriber's card is not simulated: the row is only highlighted
      each(closest(picked, "table"), "tr[data-pick]", function (one) {
        one.toggleAttribute("data-picked", one === picked);
      });
      return;
    }
    var file = closest(target, "[data-download]");
    if (file) {
      event.preventDefault();
      download(file.getAttribute("data-download"));
      return;
    }
    var value = closest(target, "[data-submit-value]");
    if (value) {
      event.preventDefault();
      var form = closest(value, "form");
      form.querySelector("[data-submitted]").value = value.getAttribute("data-submit-value");
      send(form);
      return;
    }
    var go = closest(target, "[data-go]");
    if (go) {
      event.preventDefault();
      visit(go.getAttribute("data-go"));
      return;
    }
    var link = closest(target, "a[href]");
    if (link && link.origin === window.location.origin && !link.hasAttribute("download") &&
        !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      visit(link.href);
    }
  });

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    send(event.target, event.submitter);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeLists(null);
    }
  });

  window.addEventListener("popstate", function () {
    load(window.location.href, {}, function () { return false; });
  });

  setUp(document);
})();
