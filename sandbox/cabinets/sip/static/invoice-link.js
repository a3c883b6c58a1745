// «Загрузить счет по ссылке»: ask every second whether the invoice is ready, then
// show «Счет сформирован» and the «Скачать счет» link. A failed request is retried.
// Elements are found by data-* attributes: a restyled page has other ids and classes.
(function () {
  "use strict";
  var status = document.querySelector("[data-status-url]");
  var link = document.querySelector("[data-job-link]");
  if (!status || !link) {
    return;
  }
  var url = status.getAttribute("data-status-url");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        status.textContent = job.status;
        if (job.ready) {
          link.hidden = false;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  window.setTimeout(poll, 1000);
})();
