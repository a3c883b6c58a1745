// «Виртуальный менеджер»: tabs, the hierarchy tree, «Текущая выборка» filled by HTML5
// drag and drop (dragstart/dragover/drop with dataTransfer), the «Заказать документ» menu
// and the «Документ» dialog. The selection and the orders live on the server: every
// change is a fetch() call with the session's CSRF token in the X-CSRF-Token header.
// A 401 answer (the session ended) sends the page to the login page; any other answer
// that is not JSON (maintenance, server error, CSRF refusal) is an error page of the
// cabinet, shown in place of this one.
// Elements are found by data-* attributes: a restyled page has other ids and classes.
(function () {
  "use strict";
  var root = document.querySelector("[data-vm]");
  if (!root) {
    return;
  }
  var csrf = root.getAttribute("data-csrf-token");
  var loginUrl = root.getAttribute("data-login-url");
  var DRAG_TYPE = "text/plain";
  var count = Number(root.getAttribute("data-count")) || 0;

  function one(selector, scope) {
    return (scope || document).querySelector(selector);
  }

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  // -- talking to the server ----------------------------------------------------------------

  function showPage(response) {
    return response.text().then(function (html) {
      document.open();
      document.write(html);
      document.close();
      throw new Error("HTTP " + response.status);
    });
  }

  function call(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRF-Token": csrf
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      if (response.status === 401) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (answer) {
            window.location.assign(answer.location || loginUrl);
            throw new Error("the session ended");
          });
      }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        return showPage(response);
      }
      return response.json().then(function (answer) {
        return { status: response.status, body: answer };
      });
    });
  }

  function ignore() {}

  // -- tabs -----------------------------------------------------------------------------------

  var tabs = all("[data-tab]");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (other) {
        var selected = other === tab;
        other.setAttribute("aria-selected", selected ? "true" : "false");
        other.tabIndex = selected ? 0 : -1;
        var panel = document.getElementById(other.getAttribute("aria-controls"));
        if (panel) {
          panel.hidden = !selected;
        }
      });
    });
  });

  // -- the hierarchy ----------------------------------------------------------------------------

  var tree = one("[data-tree]");
  tree.addEventListener("click", function (event) {
    var item = event.target.closest("[role=treeitem]");
    if (!item || !item.hasAttribute("data-account")) {
      return;
    }
    var children = one("[data-children]", item);
    var open = item.getAttribute("aria-expanded") !== "true";
    item.setAttribute("aria-expanded", open ? "true" : "false");
    if (children) {
      children.hidden = !open;
    }
  });

  tree.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest("[role=treeitem]") : null;
    if (!item) {
      return;
    }
    var payload = item.hasAttribute("data-account")
      ? "account:" + item.getAttribute("data-account")
      : "number:" + item.getAttribute("data-number");
    event.dataTransfer.setData(DRAG_TYPE, payload);
    event.dataTransfer.effectAllowed = "copy";
  });

  // -- «Текущая выборка» -----------------------------------------------------------------------

  var zone = one("[data-dropzone]");
  var heading = one("[data-selection-heading]");
  var rows = one("[data-rows]");
  var hint = one("[data-drop-hint]");
  var selectedText = one("[data-selected-text]");

  function showSelection(selection) {
    count = selection.count;
    heading.textContent = selection.heading;
    selectedText.textContent = selection.selected_text;
    rows.textContent = "";
    selection.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      [row.type, row.number, row.folder, row.name].forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    if (hint) {
      hint.hidden = count > 0;
    }
  }

  function selectionChanged(answer) {
    if (answer.status === 200) {
      showSelection(answer.body);
    }
  }

  zone.addEventListener("dragenter", function (event) {
    event.preventDefault();
    zone.setAttribute("data-dragover", "");
  });
  zone.addEventListener("dragover", function (event) {
    event.preventDefault(); // without it the zone takes no drop
    event.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", function (event) {
    if (!event.relatedTarget || !zone.contains(event.relatedTarget)) {
      zone.removeAttribute("data-dragover");
    }
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.removeAttribute("data-dragover");
    var data = event.dataTransfer.getData(DRAG_TYPE) || "";
    var sep = data.indexOf(":");
    var kind = data.slice(0, sep);
    var value = data.slice(sep + 1);
    if (sep < 0 || (kind !== "account" && kind !== "number")) {
      return; // something dragged from elsewhere
    }
    var body = {};
    body[kind] = value;
    call("/selfcare/api/selection", body).then(selectionChanged).catch(ignore);
  });

  one("[data-clear]").addEventListener("click", function () {
    call("/selfcare/api/selection/clear").then(selectionChanged).catch(ignore);
  });

  // -- «Заказать документ» ---------------------------------------------------------------------

  var orderButton = one("[data-order-button]");
  var menu = one("[data-order-menu]");

  function showMenu(open) {
    menu.hidden = !open;
    orderButton.setAttribute("aria-expanded", open ? "true" : "false");
  }

  orderButton.addEventListener("click", function (event) {
    event.stopPropagation();
    showMenu(menu.hidden);
  });
  document.addEventListener("click", function (event) {
    if (!menu.hidden && !menu.contains(event.target)) {
      showMenu(false);
    }
  });

  // -- the «Документ» dialog -------------------------------------------------------------------

  var dialog = one("[data-dialog]");
  var form = one("[data-order-form]");
  var dialogHeading = one("[data-dialog-heading]");
  var alertBox = one("[data-dialog-alert]");
  var emptyAlert = one("[data-empty-alert]");
  var done = one("[data-done]");
  var status = one("[data-dialog-status]");
  var submit = one("button[type=submit]", form);
  var documentKind = "";

  function setAlert(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

  function openDialog(kind, title) {
    documentKind = kind;
    form.reset();
    dialogHeading.textContent = "«" + title + "»";
    all("[data-only]", form).forEach(function (part) {
      var shown = part.getAttribute("data-only") === kind;
      part.hidden = !shown;
      all("input, select", part).forEach(function (field) {
        field.disabled = !shown;
      });
    });
    all("input[name=format]", form).forEach(function (radio) {
      radio.disabled = kind === "invoice" && radio.value !== "pdf"; // invoices: PDF only
    });
    form.hidden = false;
    done.hidden = true;
    submit.disabled = false;
    setAlert(count === 0 ? emptyAlert.textContent : "");
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  all("[data-document]", menu).forEach(function (item) {
    item.addEventListener("click", function () {
      showMenu(false);
      openDialog(item.getAttribute("data-document"), item.textContent.trim());
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    setAlert("");
    var checked = one("input[name=format]:checked", form);
    var body = {
      document: documentKind,
      email: form.elements.namedItem("email").value,
      format: checked ? checked.value : "",
      rules: form.elements.namedItem("rules").checked
    };
    if (documentKind === "invoice") {
      body.period = form.elements.namedItem("period").value;
    } else {
      body.date_from = form.elements.namedItem("date_from").value;
      body.date_to = form.elements.namedItem("date_to").value;
    }
    submit.disabled = true;
    call("/selfcare/api/order", body)
      .then(function (answer) {
        submit.disabled = false;
        if (answer.status === 200 && answer.body.status) {
          status.textContent = answer.body.status;
          form.hidden = true;
          done.hidden = false;
        } else {
          setAlert(answer.body.alert || answer.body.error || "");
        }
      })
      .catch(function () {
        submit.disabled = false;
      });
  });

  one("[data-cancel]").addEventListener("click", function () {
    dialog.close();
  });
  one("[data-close]").addEventListener("click", function () {
    dialog.close();
  });
})();
