// NetRaven's page behaviour: the Menu button of the navigation on narrow screens, and the reason
// an htmx request failed (htmx swaps nothing on an error: the message goes to #request-error).
(function () {
  "use strict";
  function setUpMenu() {
    var button = document.querySelector(".nav-toggle");
    var links = document.getElementById("nav-links");
    if (!button || !links) return;
    button.addEventListener("click", function () {
      var open = links.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  function showError(text) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("DOMContentLoaded", setUpMenu);
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var reason = page.querySelector(".error-page p");
    showError(xhr.status + " " + (reason ? reason.textContent.trim() : xhr.statusText));
  });
  document.addEventListener("htmx:sendError", function () {
    showError("The server did not answer: is netraven serve running? Try again.");
  });
})();
