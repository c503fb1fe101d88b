// Evidence upload: drop zone, one XMLHttpRequest per file with its own progress bar, the list
// refreshed as each file is stored. Without this file the form posts as a plain multipart form.
(function () {
  "use strict";
  var CONCURRENT = 1;  // one after the other: the exhibits are numbered in the order chosen

  function enhance(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    form.classList.add("enhanced");
    var zone = form.querySelector("[data-dropzone]");
    var input = form.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      input.value = "";
      sendAll(form, files);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendAll(form, Array.prototype.slice.call(input.files));
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("over");
      sendAll(form, Array.prototype.slice.call(event.dataTransfer.files));
    });
  }

  function row(form, file) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Envoi de " + file.name);
    var status = document.createElement("span");
    status.className = "status small";
    status.textContent = "En attente…";
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(status);
    item.dataset.file = file.name;
    form.querySelector("[data-queue]").appendChild(item);
    return { item: item, bar: bar, status: status };
  }

  function finish(view, ok, message) {
    view.item.classList.add(ok ? "done" : "refused");
    view.status.textContent = message;
    if (ok) {
      view.bar.value = 100;
    } else {
      // A refused file must not look sent: no full bar, a red mark and its reason.
      var mark = document.createElement("span");
      mark.className = "refused-mark";
      mark.textContent = "✕ Refusé";
      view.bar.replaceWith(mark);
      view.item.setAttribute("role", "alert");
    }
  }

  // Numbers follow the bordereau's order, which each new file can shift: once every file is
  // in, each stored file's line gives the number it finally has.
  function renumber(form) {
    form.querySelectorAll("[data-queue] li.done[data-evidence]").forEach(function (item) {
      var exhibit = document.getElementById("exhibit-" + item.dataset.evidence);
      if (!exhibit) return;
      var number = exhibit.querySelector(".exhibit-no").textContent.trim();
      var kind = exhibit.querySelector(".badge.kind");
      item.querySelector(".status").textContent = "« " + item.dataset.file + " » enregistré : pièce n° " +
        number + (kind ? ", " + kind.textContent.trim().toLowerCase() : "") + ".";
      item.dataset.number = number;
    });
  }

  // The other blocks of the page that the change altered (headline, checklist, bordereau…).
  function swapOutOfBand(doc) {
    doc.querySelectorAll("[hx-swap-oob]").forEach(function (fresh) {
      var current = fresh.id && document.getElementById(fresh.id);
      if (!current) return;
      fresh.removeAttribute("hx-swap-oob");
      var imported = document.importNode(fresh, true);
      current.replaceWith(imported);
      if (window.htmx) window.htmx.process(imported);
    });
  }

  function sizeLimit(form) { return parseInt(form.dataset.maxBytes, 10); }

  function replaceList(doc) {
    var fresh = doc.getElementById("evidence-list");
    var current = document.getElementById("evidence-list");
    if (!fresh || !current) return;
    var outcomes = fresh.querySelector(".upload-outcomes");
    if (outcomes) outcomes.remove();
    var imported = document.importNode(fresh, true);
    current.replaceWith(imported);
    if (window.htmx) window.htmx.process(imported);
    swapOutOfBand(doc);
  }

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }

  function upload(form, file, view) {
    return new Promise(function (resolve) {
      var token = form.querySelector("input[name=csrf_token]").value;
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          view.bar.value = Math.round((event.loaded / event.total) * 100);
          view.status.textContent = "Envoi… " + view.bar.value + " %";
        }
      });
      xhr.upload.addEventListener("load", function () {
        view.status.textContent = "Vérification du fichier…";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 || xhr.status === 422) {
          var doc = parse(xhr.responseText);
          var outcome = doc.querySelector(".upload-outcomes li");
          var ok = outcome ? outcome.classList.contains("stored") : xhr.status === 200;
          if (outcome && outcome.dataset.evidence) view.item.dataset.evidence = outcome.dataset.evidence;
          finish(view, ok, outcome ? outcome.textContent.trim() : "Enregistré.");
          replaceList(doc);
        } else if (xhr.status === 403) {
          finish(view, false, "« " + file.name + " » refusé : session expirée ou jeton de sécurité périmé, rechargez la page.");
        } else {
          finish(view, false, "« " + file.name + " » non envoyé : erreur du serveur (" + xhr.status + "), réessayez.");
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        finish(view, false, "« " + file.name + " » non envoyé : connexion interrompue, réessayez.");
        resolve();
      });
      view.status.textContent = "Envoi…";
      xhr.send(data);
    });
  }

  // Once every file is sent, fetch the list again (answers may have arrived out of order),
  // unless the user has started editing an exhibit meanwhile.
  function refresh(form) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", form.dataset.listUrl);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.addEventListener("loadend", function () {
      var editing = document.querySelector("#evidence-list form.exhibit-edit");
      if (xhr.status === 200 && !editing) replaceList(parse(xhr.responseText));
      renumber(form);
      delete form.dataset.busy;
    });
    xhr.send();
  }

  function sendAll(form, files) {
    if (!files.length) return;
    form.dataset.busy = "1";
    var queue = [];
    files.forEach(function (file) {
      var view = row(form, file);
      if (file.size > sizeLimit(form)) {
        finish(view, false, "« " + file.name + " » refusé : le fichier dépasse la taille maximale de " + form.dataset.maxMb + " Mo.");
      } else {
        queue.push({ file: file, view: view });
      }
    });
    var running = 0;
    var refreshed = false;
    function next() {
      if (!queue.length) {
        if (running === 0 && !refreshed) {
          refreshed = true;
          refresh(form);
        }
        return;
      }
      var job = queue.shift();
      running += 1;
      upload(form, job.file, job.view).then(function () {
        running -= 1;
        next();
      });
    }
    for (var i = 0; i < CONCURRENT; i += 1) next();
  }

  function init() {
    document.querySelectorAll("form[data-upload]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
