// NetRaven's page behaviour: the Menu button of the navigation on narrow screens.
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
  document.addEventListener("DOMContentLoaded", setUpMenu);
})();
