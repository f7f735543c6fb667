/* Spot the Lure activities: quizzes and chat stories that work with no server and no network.
   Progress is kept in this browser's localStorage only; nothing is sent anywhere. */
(function () {
  "use strict";
  var PREFIX = "spotthelure:";
  /* Where "Quick exit" goes: a plain page of this site (a single offline file has no site: a blank page). */
  var NEUTRAL = (function () {
    var me = document.currentScript;
    try { if (me && me.src) { return new URL("neutral.html", me.src).href; } } catch (e) { /* old browser */ }
    return "about:blank";
  })();

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* private mode: no saving */ }
    document.dispatchEvent(new CustomEvent("stl-change"));
  }
  function forget(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* nothing saved */ }
    document.dispatchEvent(new CustomEvent("stl-change"));
  }
  /* Every word this script shows comes from the page: the data-stl-strings attribute of its section,
     else the page's <script type="application/json" id="stl-i18n">, written by the build in the page's language.
     A message is a template with named places ({done}, {total}); a plural message has a form for each
     plural category of the language, chosen with Intl.PluralRules. */
  function stringsOf(el) {
    var host = (el && el.closest && el.closest("[data-stl-strings]")) || document.getElementById("stl-i18n") ||
      document.querySelector("[data-stl-strings]");
    if (!host) { return null; }
    if (host.stlStrings === undefined) {
      var text = host.hasAttribute("data-stl-strings") ? host.getAttribute("data-stl-strings") : host.textContent;
      try { host.stlStrings = JSON.parse(text); } catch (e) { host.stlStrings = null; }
    }
    return host.stlStrings;
  }
  function fill(template, params) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return params && Object.prototype.hasOwnProperty.call(params, k) ? String(params[k]) : m;
    });
  }
  function t(el, key, params) {
    var s = stringsOf(el);
    var msg = s && s.messages ? s.messages[key] : undefined;
    if (msg === undefined || msg === null) { return ""; }
    if (typeof msg === "object") {
      var n = Number(params[msg.count]), cat;
      try { cat = new Intl.PluralRules(s.lang).select(n); } catch (e) { cat = n === 1 ? "one" : "other"; }
      msg = msg.forms.hasOwnProperty(cat) ? msg.forms[cat] : msg.forms.other;
    }
    return fill(msg, params);
  }
  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function keyOf(el) { return el.getAttribute("data-stl-kind") + ":" + el.getAttribute("data-stl-id") + ":" + el.getAttribute("data-stl-version"); }

  /* ---------- quizzes ---------- */
  function answerOf(form) {
    var type = form.getAttribute("data-type");
    if (type === "ordering") {
      return all(form, "select").map(function (s) { return s.value; });
    }
    return all(form, "input").filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function setAnswer(form, answer) {
    if (form.getAttribute("data-type") === "ordering") {
      all(form, "select").forEach(function (s, i) { s.value = answer[i] || ""; });
    } else {
      all(form, "input").forEach(function (i) { i.checked = answer.indexOf(i.value) >= 0; });
    }
  }
  /* The verdict is a label of its own ("Right", "Not quite", "Missed"), never run into the feedback. */
  function mark(fb, text) {
    var m = fb.querySelector(".stl-mark");
    if (!m) { m = document.createElement("p"); m.className = "stl-mark"; fb.insertBefore(m, fb.firstChild); }
    m.textContent = text;
  }
  function clearMarks(form) {
    all(form, ".stl-fb").forEach(function (fb) { fb.hidden = true; });
    all(form, ".stl-option").forEach(function (o) { o.classList.remove("stl-is-right", "stl-is-wrong", "stl-is-missed"); });
    all(form, ".stl-rule, .stl-anytime").forEach(function (r) { r.hidden = true; });
  }
  /* Ordering items are right when every "before" rule holds; help-seeking steps fit anywhere. */
  function gradeOrdering(form) {
    var options = all(form, ".stl-option");
    var place = {}, used = {}, complete = true, answered = false;
    options.forEach(function (opt) {
      var v = parseInt(opt.querySelector("select").value, 10);
      if (isNaN(v)) { complete = false; return; }
      answered = true;
      if (used[v]) { complete = false; }
      used[v] = true;
      place[opt.getAttribute("data-step")] = v;
    });
    if (!complete) {
      return { answered: false, correct: false,
               message: t(form, answered ? "orderingEachPlace" : "orderingNoPlaces") };
    }
    var wrongSteps = {}, ok = true;
    all(form, ".stl-rule").forEach(function (rule) {
      var a = rule.getAttribute("data-first"), b = rule.getAttribute("data-then");
      var bad = !(place[a] < place[b]);
      rule.hidden = !bad;
      if (bad) { ok = false; wrongSteps[a] = true; wrongSteps[b] = true; }
    });
    all(form, ".stl-anytime").forEach(function (n) { n.hidden = false; });
    options.forEach(function (opt) {
      var fb = opt.querySelector(".stl-fb");
      var id = opt.getAttribute("data-step");
      fb.hidden = false;
      if (wrongSteps[id]) {
        mark(fb, t(form, "markCheckOrder"));
        opt.classList.add("stl-is-wrong");
      } else {
        mark(fb, t(form, opt.getAttribute("data-any-time") === "true" ? "markAnyTime" : "markFineHere"));
        opt.classList.add("stl-is-right");
      }
    });
    return { answered: true, correct: ok };
  }
  function grade(form) {
    var type = form.getAttribute("data-type");
    clearMarks(form);
    if (type === "ordering") { return gradeOrdering(form); }
    var options = all(form, ".stl-option");
    var ok = true, answered = false;
    options.forEach(function (opt) {
      var fb = opt.querySelector(".stl-fb");
      var input = opt.querySelector("input");
      var correct = opt.getAttribute("data-correct") === "true";
      if (input.checked) { answered = true; }
      if (input.checked !== correct) { ok = false; }
      var show = input.checked || (correct && type !== "single" && type !== "truefalse");
      if (!show) { return; }
      fb.hidden = false;
      var cls;
      if (type === "redflags") {
        if (correct && input.checked) { mark(fb, t(form, "markRedflagRight")); cls = "stl-is-right"; }
        else if (correct) { mark(fb, t(form, "markRedflagMissed")); cls = "stl-is-missed"; }
        else { mark(fb, t(form, "markRedflagWrong")); cls = "stl-is-wrong"; }
      } else if (type === "multiple") {
        if (correct && input.checked) { mark(fb, t(form, "markMultipleRight")); cls = "stl-is-right"; }
        else if (correct) { mark(fb, t(form, "markMultipleMissed")); cls = "stl-is-missed"; }
        else { mark(fb, t(form, "markMultipleWrong")); cls = "stl-is-wrong"; }
      } else {
        mark(fb, t(form, correct ? "markRight" : "markWrong"));
        cls = correct ? "stl-is-right" : "stl-is-wrong";
      }
      opt.classList.add(cls);
    });
    return { answered: answered, correct: ok };
  }
  function showResult(form, result) {
    var out = form.querySelector(".stl-result");
    out.textContent = t(form, result.correct ? "resultCorrect" : "resultWrong");
    out.className = "stl-result " + (result.correct ? "stl-right" : "stl-wrong");
    form.querySelector(".stl-retry").hidden = result.correct;
  }
  function updateScore(quiz, state) {
    var forms = all(quiz, "form.stl-item");
    var done = 0, right = 0;
    forms.forEach(function (f) {
      var s = state.items[f.getAttribute("data-item")];
      if (s) { done += 1; if (s.correct) { right += 1; } }
    });
    quiz.querySelector("[data-stl-score]").textContent =
      t(quiz, "score", { done: done, total: forms.length, right: right });
    /* For whatever the page is embedded in (a SCORM package reports it to the school's LMS). */
    quiz.dispatchEvent(new CustomEvent("stl-progress", { bubbles: true, detail: {
      kind: "quiz", key: keyOf(quiz), total: forms.length, answered: done, correct: right, firstTry: state.first || 0 } }));
  }
  function initQuiz(quiz) {
    var key = keyOf(quiz);
    var state = load(key) || { items: {}, first: 0 };
    all(quiz, "form.stl-item").forEach(function (form) {
      var id = form.getAttribute("data-item");
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var result = grade(form);
        if (!result.answered) {
          var out = form.querySelector(".stl-result");
          out.textContent = result.message || t(form, "chooseFirst");
          out.className = "stl-result";
          return;
        }
        var before = state.items[id];
        if (!before && result.correct) { state.first += 1; }
        state.items[id] = { answer: answerOf(form), correct: result.correct, tries: before ? before.tries + 1 : 1 };
        save(key, state);
        showResult(form, result);
        updateScore(quiz, state);
      });
      form.querySelector(".stl-retry").addEventListener("click", function () {
        setAnswer(form, []);
        clearMarks(form);
        form.querySelector(".stl-result").textContent = "";
        form.querySelector(".stl-retry").hidden = true;
        var first = form.querySelector("input, select");
        if (first) { first.focus(); }
      });
      var saved = state.items[id];
      if (saved) {
        setAnswer(form, saved.answer);
        showResult(form, grade(form));
      }
    });
    quiz.querySelector(".stl-reset").addEventListener("click", function () {
      forget(key);
      state = { items: {}, first: 0 };
      all(quiz, "form.stl-item").forEach(function (form) {
        setAnswer(form, []);
        clearMarks(form);
        form.querySelector(".stl-result").textContent = "";
        form.querySelector(".stl-retry").hidden = true;
      });
      updateScore(quiz, state);
    });
    updateScore(quiz, state);
  }

  /* ---------- chat stories (branching scenarios) ----------
     Saved progress is ids and numbers only: the path (node ids), the index of each choice made, the endings
     found. The words shown for a choice and its feedback are always taken from the page itself. */
  function isIndex(x) { return typeof x === "number" && x >= 0 && x < 8 && Math.floor(x) === x; }
  function initScenario(sc) {
    var key = keyOf(sc);
    var start = sc.getAttribute("data-stl-start");
    var nodes = {};
    all(sc, ".stl-node").forEach(function (n) { nodes[n.getAttribute("data-node")] = n; });
    var endingsTotal = all(sc, ".stl-ending").length;
    function fresh() { return { path: [start], choices: [], endings: [] }; }
    function choiceLink(nodeId, index) { return nodes[nodeId] ? all(nodes[nodeId], "a.stl-choice")[index] : null; }
    function valid(st) {
      if (!st || !Array.isArray(st.path) || !Array.isArray(st.choices) || !Array.isArray(st.endings)) { return false; }
      if (!st.path.length || st.path[0] !== start || st.choices.length !== st.path.length - 1) { return false; }
      for (var i = 0; i < st.path.length; i++) { if (typeof st.path[i] !== "string" || !nodes.hasOwnProperty(st.path[i])) { return false; } }
      for (var j = 0; j < st.choices.length; j++) {
        var a = isIndex(st.choices[j]) && choiceLink(st.path[j], st.choices[j]);
        if (!a || a.getAttribute("data-next") !== st.path[j + 1]) { return false; }
      }
      return st.endings.every(function (e) { return typeof e === "string" && nodes.hasOwnProperty(e) && nodes[e].hasAttribute("data-ending"); });
    }
    var state = load(key);
    if (!valid(state)) { state = fresh(); }
    var back = sc.querySelector(".stl-back");
    var status = sc.querySelector("[data-stl-status]");
    sc.classList.add("stl-js");

    function render(focus) {
      var current = state.path[state.path.length - 1];
      Object.keys(nodes).forEach(function (id) { nodes[id].hidden = id !== current; });
      all(sc, ".stl-choice-made").forEach(function (el) { el.parentNode.removeChild(el); });
      var n = state.choices.length;
      var a = n ? choiceLink(state.path[n - 1], state.choices[n - 1]) : null;
      if (a) {
        var note = document.createElement("div");
        note.className = "stl-choice-made";
        var chose = document.createElement("p");
        chose.className = "stl-you-chose";
        var strong = document.createElement("strong");
        strong.textContent = t(sc, "youChose");
        chose.appendChild(strong);
        chose.appendChild(document.createTextNode(" " + a.textContent));
        note.appendChild(chose);
        var src = a.parentNode.querySelector(".stl-fb");
        if (src) {
          var fb = document.createElement("p");
          fb.className = "stl-choice-fb";
          Array.prototype.forEach.call(src.childNodes, function (c) { fb.appendChild(c.cloneNode(true)); });
          note.appendChild(fb);
        }
        nodes[current].insertBefore(note, nodes[current].firstChild);
      }
      back.disabled = state.path.length < 2;
      var ending = nodes[current].getAttribute("data-ending");
      if (ending && state.endings.indexOf(current) < 0) { state.endings.push(current); }
      status.textContent = t(sc, ending ? "statusEnding" : "status",
                             { step: state.path.length, found: state.endings.length, total: endingsTotal });
      save(key, state);
      sc.dispatchEvent(new CustomEvent("stl-progress", { bubbles: true, detail: {
        kind: "scenario", key: key, atEnding: !!ending, endingsFound: state.endings.length, endingsTotal: endingsTotal } }));
      if (focus) { nodes[current].focus(); }
    }
    all(sc, ".stl-node").forEach(function (node) {
      all(node, "a.stl-choice").forEach(function (a, index) {
        a.addEventListener("click", function (ev) {
          ev.preventDefault();
          var next = a.getAttribute("data-next");
          if (!nodes[next]) { return; }
          state.path.push(next);
          state.choices.push(index);
          render(true);
        });
      });
    });
    back.addEventListener("click", function () {
      if (state.path.length > 1) { state.path.pop(); state.choices.pop(); render(true); }
    });
    sc.querySelector(".stl-restart").addEventListener("click", function () {
      state = fresh();   /* starting again also forgets the endings found */
      render(true);
    });
    sc.addEventListener("stl-clear", function () { state = fresh(); render(false); });
    render(false);
  }

  /* ---------- "My progress" boxes: read from what this browser saved ---------- */
  function updateSummaries() {
    all(document, "[data-stl-summary-for]").forEach(function (li) {
      var id = li.getAttribute("data-stl-summary-for");
      var sec = document.querySelector('section[data-stl-id="' + id + '"]');
      if (!sec) { return; }
      /* The box's entry holds the activity's title until it is first filled in. */
      if (!li.hasAttribute("data-stl-title")) { li.setAttribute("data-stl-title", li.textContent); }
      var title = li.getAttribute("data-stl-title");
      var state = load(keyOf(sec));
      if (sec.classList.contains("stl-quiz")) {
        var n = all(sec, "form.stl-item").length, done = 0, right = 0;
        if (state && state.items) { Object.keys(state.items).forEach(function (k) { done += 1; if (state.items[k].correct) { right += 1; } }); }
        li.textContent = t(sec, "summaryQuiz", { title: title, done: done, total: n, right: right });
      } else {
        var total = all(sec, ".stl-ending").length;
        var found = state && Array.isArray(state.endings) ? state.endings.length : 0;
        li.textContent = t(sec, "summaryStory", { title: title, found: found, total: total });
      }
    });
  }
  document.addEventListener("stl-change", updateSummaries);

  /* ---------- student pages: quick exit and "clear everything" ---------- */
  function quickExit() {
    try { document.title = ""; document.body.hidden = true; } catch (e) { /* leave anyway */ }
    window.location.replace(NEUTRAL);
  }
  function addQuickExit() {
    if (document.querySelector(".stl-quick-exit")) { return; }
    var bar = document.createElement("div");
    bar.className = "stl-quick-exit-bar";
    var b = document.createElement("button");
    b.type = "button";
    b.className = "stl-quick-exit";
    b.id = "stl-quick-exit";
    b.textContent = t(null, "quickExit");
    b.setAttribute("aria-describedby", "stl-quick-exit-hint");
    b.addEventListener("click", quickExit);
    var hint = document.createElement("span");
    hint.id = "stl-quick-exit-hint";
    hint.className = "stl-quick-exit-hint";
    hint.textContent = t(null, "quickExitHint");
    bar.appendChild(b);
    bar.appendChild(hint);
    document.body.insertBefore(bar, document.body.firstChild);
    document.body.classList.add("stl-has-quick-exit");
    var lastEsc = 0;
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape" && ev.key !== "Esc") { return; }
      var now = Date.now();
      if (now - lastEsc < 1500) { quickExit(); }
      lastEsc = now;
    });
  }
  function clearEverything() {
    /* Every quiz and story on this page goes back to the start, then every saved key goes. */
    all(document, "section.stl-scenario").forEach(function (sc) { sc.dispatchEvent(new CustomEvent("stl-clear")); });
    all(document, "section.stl-quiz .stl-reset").forEach(function (b) { b.click(); });
    try {
      var ls = window.localStorage, keys = [];
      for (var i = 0; i < ls.length; i++) { keys.push(ls.key(i)); }
      keys.forEach(function (k) { if (k && (k.indexOf(PREFIX) === 0 || k === "sphinx_highlight_terms")) { ls.removeItem(k); } });
    } catch (e) { /* nothing saved */ }
    try { window.sessionStorage.removeItem("sphinx_highlight_terms"); } catch (e) { /* none */ }
    document.dispatchEvent(new CustomEvent("stl-change"));
  }
  function addClearControls() {
    all(document, ".stl-privacy").forEach(function (box) {
      if (box.querySelector(".stl-clear-all")) { return; }
      var p = document.createElement("p");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "stl-clear-all";
      b.textContent = t(box, "clearAll");
      var out = document.createElement("span");
      out.className = "stl-clear-status";
      out.setAttribute("role", "status");
      b.addEventListener("click", function () {
        if (!window.confirm(t(box, "clearConfirm"))) { return; }
        clearEverything();
        out.textContent = " " + t(box, "clearDone");
      });
      p.appendChild(b);
      p.appendChild(out);
      box.appendChild(p);
    });
  }

  /* The language switcher: the reader's choice is kept on this device (the site's root opens it next time). */
  function initLanguages() {
    var links = document.querySelectorAll(".stl-languages a[hreflang]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (e) { save("language", e.currentTarget.getAttribute("hreflang")); });
    }
  }

  function init() {
    initLanguages();
    all(document, "section.stl-quiz").forEach(initQuiz);
    all(document, "section.stl-scenario").forEach(initScenario);
    updateSummaries();
    if (document.querySelector("[data-stl-student], .stl-privacy, .stl-content-note")) {
      addQuickExit();
      addClearControls();
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  /* The page's words for the other scripts of the book (the search): a message of the page's
     catalog by its key, "" when the page has none. */
  window.stlWord = function (key, params) { return t(null, key, params || {}); };
})();
