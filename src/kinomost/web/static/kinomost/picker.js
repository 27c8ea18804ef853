/* Pickers (web/pickers.py): a text input that still takes codes as typed gets a list of matches
   from its JSON look-up (data-picker) as the person types; choosing one writes its code (for a
   list, data-separator, the code replaces the entry being typed). Arrow keys, Enter and Escape
   work as in any combobox. The media tree: a group's box ticks and unticks its leaves; unticking a
   leaf unticks its group. A file, not inline script: the Content-Security-Policy runs none. */
(function () {
  "use strict";

  function currentEntry(input, sep) {
    if (!sep) return input.value.trim();
    var parts = input.value.split(sep === "\n" ? /\n/ : /[;,]/);
    return parts[parts.length - 1].trim();
  }

  function choose(input, sep, value) {
    if (!sep) { input.value = value; return; }
    var splitter = sep === "\n" ? /\n/ : /[;,]/;
    var parts = input.value.split(splitter).map(function (p) { return p.trim(); }).filter(Boolean);
    if (parts.length && input.value.trim() && !/[;,\n]\s*$/.test(input.value)) parts.pop();
    if (parts.indexOf(value) < 0) parts.push(value);
    input.value = parts.join(sep) + sep;
  }

  function attach(input) {
    var list = input.parentNode.querySelector(".picker-list");
    var sep = input.getAttribute("data-separator");
    var url = input.getAttribute("data-picker");
    var timer = null, active = -1, asked = 0;
    if (!list) return;
    list.id = list.id || (input.id || input.name) + "-list";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    }
    function show(results) {
      list.textContent = "";
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.textContent = r.label;
        li.setAttribute("data-value", r.value);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(input, sep, r.value); close(); input.focus(); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var q = currentEntry(input, sep), n = ++asked;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (n === asked) show(data.results || []); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    input.addEventListener("focus", function () { if (!currentEntry(input, sep) && input.getAttribute("data-picker").indexOf("works") < 0) ask(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (e) {
      var n = list.children.length;
      if (list.hidden || !n) return;
      if (e.key === "ArrowDown") { active = (active + 1) % n; mark(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = (active - 1 + n) % n; mark(); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { choose(input, sep, list.children[active].getAttribute("data-value")); close(); e.preventDefault(); }
      else if (e.key === "Escape") { close(); }
    });
  }

  function mediaTree(tree) {
    tree.addEventListener("change", function (e) {
      var box = e.target;
      if (box.type !== "checkbox") return;
      if (box.hasAttribute("data-media-group")) {
        var scope = box.value === "all" ? tree : box.closest("fieldset");
        scope.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = box.checked; });
      } else if (!box.checked) {
        var group = box.closest("fieldset").querySelector("input[data-media-group]");
        if (group) group.checked = false;
        var all = tree.querySelector("input[value=all]");
        if (all) all.checked = false;
      }
    });
  }

  document.querySelectorAll("input[data-picker], textarea[data-picker]").forEach(attach);
  document.querySelectorAll("[data-media-tree]").forEach(mediaTree);
})();
