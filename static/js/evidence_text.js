// A pièce's text has just been read (its status badge, polled by htmx, answered with the
// "evidence-read" trigger): the evidence list is fetched again so that the suggestions
// read from the text show up, unless a pièce is being edited (its form would be lost).
(function () {
  "use strict";
  document.body.addEventListener("evidence-read", function () {
    var list = document.getElementById("evidence-list");
    var form = document.querySelector("#evidence form[data-list-url]");
    if (!list || !form || !window.htmx || list.querySelector("form.exhibit-edit")) {
      return;
    }
    window.htmx.ajax("GET", form.getAttribute("data-list-url"),
                     {target: "#evidence-list", swap: "outerHTML"});
  });
})();
