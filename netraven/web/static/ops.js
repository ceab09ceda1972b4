// The operations pages: a form with data-confirm asks before it is sent (deleting a job or a
// credential). No inline handler: the content security policy allows this site's scripts only.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
