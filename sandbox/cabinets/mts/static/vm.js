// «Виртуальный менеджер»: tabs, the hierarchy tree, «Текущая выборка» filled by drag and
// drop, the «Заказать документ» menu and the «Документ» dialog. The accessible page
// (semantic) drags with HTML5 drag and drop (dragstart/dragover/drop with dataTransfer)
// and keeps its ARIA states; the legacy page (data-legacy) drags with mouse events
// (mousedown/mousemove/mouseup), unfolds its tree with +/- links, shows and hides
// blocks by their style and sets no ARIA attribute. The selection and the orders live on the server: every
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
  var legacy = root.hasAttribute("data-legacy");

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

  // Shown or hidden: the hidden attribute, or the style on the legacy page.
  function show(element, shown) {
    if (legacy) {
      element.style.display = shown ? "" : "none";
    } else {
      element.hidden = !shown;
    }
  }

  function isShown(element) {
    return legacy ? element.style.display !== "none" : !element.hidden;
  }

  function noFollow(event) {
    if (event.target.closest && event.target.closest("a[href='#']")) {
      event.preventDefault();
    }
  }

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
  var zone = one("[data-dropzone]");

  function dropped(kind, value) {
    if (kind !== "account" && kind !== "number") {
      return; // something dragged from elsewhere
    }
    var body = {};
    body[kind] = value;
    call("/selfcare/api/selection", body).then(selectionChanged).catch(ignore);
  }

  if (legacy) {
    legacyTree();
  } else {
    html5Tree();
  }

  function legacyTree() {
    var dragged = null;
    var ghost = null;
    var startX = 0;
    var startY = 0;
    root.addEventListener("click", noFollow);
    tree.addEventListener("click", function (event) {
      var toggle = event.target.closest("[data-toggle]");
      if (!toggle) {
        return;
      }
      var children = one("[data-children]", toggle.parentNode);
      var open = !isShown(children);
      show(children, open);
      toggle.textContent = open ? "-" : "+";
    });
    tree.addEventListener("mousedown", function (event) {
      var item = event.target.closest ? event.target.closest("[data-drag]") : null;
      if (!item || event.button !== 0) {
        return;
      }
      event.preventDefault(); // no text selection while dragging
      dragged = item;
      startX = event.clientX;
      startY = event.clientY;
    });
    document.addEventListener("mousemove", function (event) {
      if (!dragged) {
        return;
      }
      if (!ghost && Math.abs(event.clientX - startX) + Math.abs(event.clientY - startY) < 4) {
        return; // a click, not a drag yet
      }
      if (!ghost) {
        ghost = document.createElement("div");
        ghost.className = "drag-ghost";
        ghost.textContent = dragged.textContent;
        document.body.appendChild(ghost);
      }
      ghost.style.left = event.pageX + 10 + "px";
      ghost.style.top = event.pageY + 10 + "px";
      if (over(event)) {
        zone.setAttribute("data-dragover", "");
      } else {
        zone.removeAttribute("data-dragover");
      }
    });
    document.addEventListener("mouseup", function (event) {
      var item = dragged;
      dragged = null;
      if (!ghost) {
        return;
      }
      ghost.parentNode.removeChild(ghost);
      ghost = null;
      zone.removeAttribute("data-dragover");
      if (!over(event)) {
        return;
      }
      if (item.hasAttribute("data-account")) {
        dropped("account", item.getAttribute("data-account"));
      } else {
        dropped("number", item.getAttribute("data-number"));
      }
    });
  }

  function over(event) {
    var box = zone.getBoundingClientRect();
    return (
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom
    );
  }

  function html5Tree() {
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
      if (sep >= 0) {
        dropped(data.slice(0, sep), data.slice(sep + 1));
      }
    });
  }

  // -- «Текущая выборка» -----------------------------------------------------------------------

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
      show(hint, count === 0);
    }
  }

  function selectionChanged(answer) {
    if (answer.status === 200) {
      showSelection(answer.body);
    }
  }

  var clear = one("[data-clear]"); // on the accessible page only
  if (clear) {
    clear.addEventListener("click", function () {
      call("/selfcare/api/selection/clear").then(selectionChanged).catch(ignore);
    });
  }

  // -- «Заказать документ» ---------------------------------------------------------------------

  var orderButton = one("[data-order-button]");
  var menu = one("[data-order-menu]");

  function showMenu(open) {
    show(menu, open);
    if (!legacy) {
      orderButton.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  orderButton.addEventListener("click", function (event) {
    event.preventDefault();
    event.stopPropagation();
    showMenu(!isShown(menu));
  });
  document.addEventListener("click", function (event) {
    if (isShown(menu) && !menu.contains(event.target)) {
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
  var submit = one("[type=submit]", form);
  var documentKind = "";

  function setAlert(text) {
    alertBox.textContent = text;
    show(alertBox, !!text);
  }

  function openDialog(kind, title) {
    documentKind = kind;
    form.reset();
    dialogHeading.textContent = "«" + title + "»";
    all("[data-only]", form).forEach(function (part) {
      var shown = part.getAttribute("data-only") === kind;
      show(part, shown);
      all("input, select", part).forEach(function (field) {
        field.disabled = !shown;
      });
    });
    all("input[name=format]", form).forEach(function (radio) {
      radio.disabled = kind === "invoice" && radio.value !== "pdf"; // invoices: PDF only
    });
    show(form, true);
    show(done, false);
    submit.disabled = false;
    setAlert(count === 0 ? emptyAlert.textContent : "");
    if (legacy) {
      show(dialog, true);
    } else if (!dialog.open) {
      dialog.showModal();
    }
  }

  function closeDialog() {
    if (legacy) {
      show(dialog, false);
    } else {
      dialog.close();
    }
  }

  all("[data-document]", menu).forEach(function (item) {
    item.addEventListener("click", function (event) {
      event.preventDefault();
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
          show(form, false);
          show(done, true);
        } else {
          setAlert(answer.body.alert || answer.body.error || "");
        }
      })
      .catch(function () {
        submit.disabled = false;
      });
  });

  all("[data-cancel], [data-close]", dialog).forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      closeDialog();
    });
  });
})();
