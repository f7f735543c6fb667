/* Spot the Lure activities: quizzes and chat stories that work with no server and no network.
   Progress is kept in this browser's localStorage only; nothing is sent anywhere. */
(function () {
  "use strict";
  var PREFIX = "spotthelure:";

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
               message: answered ? "Give each step its own place: 1, 2, 3 and so on." : "Give the steps their places first." };
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
        mark(fb, "Check the order of this step");
        opt.classList.add("stl-is-wrong");
      } else {
        mark(fb, opt.getAttribute("data-any-time") === "true" ? "Right: this fits at any point" : "Fine here");
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
        if (correct && input.checked) { mark(fb, "Right: a warning sign"); cls = "stl-is-right"; }
        else if (correct) { mark(fb, "Missed: this is a warning sign"); cls = "stl-is-missed"; }
        else { mark(fb, "Not quite: not a warning sign"); cls = "stl-is-wrong"; }
      } else if (type === "multiple") {
        if (correct && input.checked) { mark(fb, "Right"); cls = "stl-is-right"; }
        else if (correct) { mark(fb, "Missed: this one fits too"); cls = "stl-is-missed"; }
        else { mark(fb, "Not quite: not this one"); cls = "stl-is-wrong"; }
      } else {
        mark(fb, correct ? "Right" : "Not quite");
        cls = correct ? "stl-is-right" : "stl-is-wrong";
      }
      opt.classList.add(cls);
    });
    return { answered: answered, correct: ok };
  }
  function showResult(form, result) {
    var out = form.querySelector(".stl-result");
    out.textContent = result.correct ? "Correct. Well done." : "Not quite yet. Read the feedback, then try again.";
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
      "Answered " + done + " of " + forms.length + " · correct " + right +
      ". Your answers stay on this device only.";
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
          out.textContent = result.message || "Choose an answer first.";
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

  /* ---------- chat stories (branching scenarios) ---------- */
  function initScenario(sc) {
    var key = keyOf(sc);
    var start = sc.getAttribute("data-stl-start");
    var nodes = {};
    all(sc, ".stl-node").forEach(function (n) { nodes[n.getAttribute("data-node")] = n; });
    var endingsTotal = all(sc, ".stl-ending").length;
    var state = load(key) || { path: [start], choices: [], endings: [] };
    if (!nodes[state.path[state.path.length - 1]]) { state = { path: [start], choices: [], endings: [] }; }
    var back = sc.querySelector(".stl-back");
    var status = sc.querySelector("[data-stl-status]");
    sc.classList.add("stl-js");

    function render(focus) {
      var current = state.path[state.path.length - 1];
      Object.keys(nodes).forEach(function (id) { nodes[id].hidden = id !== current; });
      all(sc, ".stl-choice-made").forEach(function (el) { el.parentNode.removeChild(el); });
      var last = state.choices[state.choices.length - 1];
      if (last) {
        var note = document.createElement("div");
        note.className = "stl-choice-made";
        var strong = document.createElement("strong");
        strong.textContent = "You chose: ";
        note.appendChild(strong);
        note.appendChild(document.createTextNode(last.text + " "));
        var fb = document.createElement("span");
        fb.innerHTML = last.feedback; /* feedback HTML comes from the page itself, already escaped */
        note.appendChild(fb);
        nodes[current].insertBefore(note, nodes[current].firstChild);
      }
      back.disabled = state.path.length < 2;
      var ending = nodes[current].getAttribute("data-ending");
      if (ending && state.endings.indexOf(current) < 0) { state.endings.push(current); }
      status.textContent = "Step " + state.path.length + (ending ? " · you reached an ending" : "") +
        " · endings found: " + state.endings.length + " of " + endingsTotal + ".";
      save(key, state);
      if (focus) { nodes[current].focus(); }
    }
    all(sc, "a.stl-choice").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        var next = a.getAttribute("data-next");
        if (!nodes[next]) { return; }
        var fb = a.parentNode.querySelector(".stl-fb");
        state.path.push(next);
        state.choices.push({ text: a.textContent, feedback: fb ? fb.innerHTML : "" });
        render(true);
      });
    });
    back.addEventListener("click", function () {
      if (state.path.length > 1) { state.path.pop(); state.choices.pop(); render(true); }
    });
    sc.querySelector(".stl-restart").addEventListener("click", function () {
      state.path = [start]; state.choices = [];
      render(true);
    });
    render(false);
  }

  /* ---------- "My progress" boxes: read from what this browser saved ---------- */
  function updateSummaries() {
    all(document, "[data-stl-summary-for]").forEach(function (li) {
      var id = li.getAttribute("data-stl-summary-for");
      var sec = document.querySelector('section[data-stl-id="' + id + '"]');
      if (!sec) { return; }
      var title = sec.querySelector(".stl-title").textContent;
      var state = load(keyOf(sec));
      if (sec.classList.contains("stl-quiz")) {
        var n = all(sec, "form.stl-item").length, done = 0, right = 0;
        if (state) { Object.keys(state.items).forEach(function (k) { done += 1; if (state.items[k].correct) { right += 1; } }); }
        li.textContent = title + ": answered " + done + " of " + n + ", correct " + right + ".";
      } else {
        var total = all(sec, ".stl-ending").length;
        li.textContent = title + ": endings found " + (state ? state.endings.length : 0) + " of " + total + ".";
      }
    });
  }
  document.addEventListener("stl-change", updateSummaries);

  function init() {
    all(document, "section.stl-quiz").forEach(initQuiz);
    all(document, "section.stl-scenario").forEach(initScenario);
    updateSummaries();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
