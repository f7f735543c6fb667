/* The campaign planner (spotthelure.campaign_html): choose target groups and objectives, and only
   the tools that fit stay in the table; "Print my plan" prints the chosen rows on their own.
   Without this script the whole table shows. Every word comes from the page (data- attributes
   and the form's labels); nothing is written as HTML. */
(function () {
  "use strict";

  function values(form, name) {
    var out = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) { out.push(box.value); }
    });
    return out;
  }

  function names(form, name) {
    var out = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) { out.push(box.parentNode.textContent.trim()); }
    });
    return out;
  }

  function overlaps(wanted, have) {
    return wanted.length === 0 || wanted.some(function (x) { return have.indexOf(x) >= 0; });
  }

  function removeSheet() {
    document.querySelectorAll(".stl-cp-sheet").forEach(function (s) { s.parentNode.removeChild(s); });
    document.documentElement.classList.remove("stl-cp-printing");
  }

  function init(root) {
    var form = root.querySelector(".stl-cp-form");
    if (!form) { return; }
    var rows = Array.prototype.slice.call(root.querySelectorAll("tr[data-groups]"));
    var status = root.querySelector(".stl-cp-status");
    var empty = root.querySelector(".stl-cp-empty");
    var summary = root.querySelector(".stl-cp-summary");
    var nojs = root.querySelector(".stl-cp-nojs");
    var counts = [];
    try { counts = JSON.parse(root.getAttribute("data-counts") || "[]"); } catch (e) { counts = []; }

    function update() {
      var groups = values(form, "group");
      var objectives = values(form, "objective");
      var shown = 0;
      rows.forEach(function (tr) {
        var fit = overlaps(groups, (tr.getAttribute("data-groups") || "").split(" ")) &&
                  overlaps(objectives, (tr.getAttribute("data-objectives") || "").split(" "));
        tr.hidden = !fit;
        if (fit) { shown += 1; }
      });
      if (status) { status.textContent = counts[shown] || ""; }
      if (empty) { empty.hidden = shown > 0; }
      if (summary) {
        var any = root.getAttribute("data-any") || "";
        var sep = root.getAttribute("data-separator") || ", ";
        var g = names(form, "group"), o = names(form, "objective");
        summary.textContent = (root.getAttribute("data-summary") || "")
          .replace("{groups}", function () { return g.length ? g.join(sep) : any; })
          .replace("{objectives}", function () { return o.length ? o.join(sep) : any; });
      }
    }

    function buildSheet() {
      removeSheet();
      var sheet = document.createElement("div");
      sheet.className = "stl-cp-sheet";
      var copy = root.cloneNode(true);
      copy.querySelectorAll(".stl-cp-form, .stl-cp-nojs, tr[hidden], .stl-cp-empty[hidden]").forEach(function (el) {
        el.parentNode.removeChild(el);
      });
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      copy.removeAttribute("id");
      copy.querySelectorAll(".stl-cp-summary").forEach(function (el) { el.hidden = false; });
      var title = copy.querySelector(".stl-cp-title");
      if (title && root.getAttribute("data-plan-title")) { title.textContent = root.getAttribute("data-plan-title"); }
      sheet.appendChild(copy);
      document.body.appendChild(sheet);
      document.documentElement.classList.add("stl-cp-printing");
    }

    form.hidden = false;
    if (nojs) { nojs.hidden = true; }
    form.addEventListener("change", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var button = form.querySelector(".stl-cp-print");
    if (button) {
      button.addEventListener("click", function () {
        update();
        buildSheet();
        window.print();
      });
    }
    // Only the button prints the plan alone; printing the page (Ctrl+P, or the whole book as one PDF)
    // prints the page, with the rows that fit the choices.
    window.addEventListener("afterprint", removeSheet);
    update();
  }

  document.querySelectorAll("[data-stl-campaign]").forEach(init);
}());
