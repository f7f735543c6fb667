/* Spot the Lure in a SCORM 1.2 package: reports to the school's LMS whether the learner has finished and,
   for quizzes, their score. MIT licence.

   It finds the LMS's API object with the SCORM 1.2 discovery algorithm (this window's parents, then the
   opener's), and with none found it does nothing at all: the page works as the offline file does.
   It listens to the "stl-progress" events the activity script sends (spotthelure.js):
   - a quiz is finished when every question is answered; its score is the share of questions right at the
     first try (a learner may try again until right, so the score of the latest answers would always be 100);
   - a chat story is finished when the learner reaches an ending;
   - the package is "completed" when every activity in it is finished (or, with a mastery score in the
     manifest, "passed"/"failed" against it); until then "incomplete". Once finished it stays finished.
   Progress lives in the LMS, not on the (often shared) computer: while an LMS is there, the page's saved
   answers are taken from the learner's cmi.suspend_data and removed from this browser when the page closes.
   Every word shown comes from the page (<script type="application/json" id="stl-scorm">). */
(function () {
  "use strict";
  var PREFIX = "spotthelure:";
  var SUSPEND_MAX = 4096;            /* CMIString4096: longer progress is not kept (the score still is) */

  /* The ADL discovery algorithm: up to 7 parents, then the opener's. A parent on another origin throws. */
  function findAPI(win) {
    var tries = 0;
    try {
      while (win.API == null && win.parent != null && win.parent !== win) {
        tries += 1;
        if (tries > 7) { return null; }
        win = win.parent;
      }
      return win.API || null;
    } catch (e) { return null; }
  }
  function getAPI() {
    var api = findAPI(window);
    try { if (api == null && window.opener != null) { api = findAPI(window.opener); } } catch (e) { api = null; }
    return api && typeof api.LMSInitialize === "function" ? api : null;
  }

  var config = (function () {
    var el = document.getElementById("stl-scorm");
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  })();
  var api = config ? getAPI() : null;
  if (!api) { return; }
  if (String(api.LMSInitialize("")) !== "true") { return; }

  function get(name) { try { return String(api.LMSGetValue(name)); } catch (e) { return ""; } }
  function set(name, value) { try { api.LMSSetValue(name, String(value)); } catch (e) { /* the LMS refused it */ } }

  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var sections = all("section.stl-quiz, section.stl-scenario");
  function keyOf(el) {
    return el.getAttribute("data-stl-kind") + ":" + el.getAttribute("data-stl-id") + ":" + el.getAttribute("data-stl-version");
  }
  var keys = sections.map(keyOf);
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  function forgetHere() {
    if (!store) { return; }
    keys.forEach(function (k) { try { store.removeItem(PREFIX + k); } catch (e) { /* nothing saved */ } });
  }

  /* This learner's saved answers come from the LMS; a previous learner's on this computer are dropped. */
  forgetHere();
  var saved = null;
  try { saved = JSON.parse(get("cmi.suspend_data") || "null"); } catch (e) { saved = null; }
  if (store && saved && typeof saved === "object") {
    keys.forEach(function (k) {
      if (Object.prototype.hasOwnProperty.call(saved, k)) {
        try { store.setItem(PREFIX + k, JSON.stringify(saved[k])); } catch (e) { /* no room: start afresh */ }
      }
    });
  }
  function snapshot() {
    if (!store) { return; }
    var out = {};
    keys.forEach(function (k) {
      var v = null;
      try { v = JSON.parse(store.getItem(PREFIX + k) || "null"); } catch (e) { v = null; }
      if (v !== null) { out[k] = v; }
    });
    var text = JSON.stringify(out);
    if (text.length <= SUSPEND_MAX) { set("cmi.suspend_data", text); }
  }

  var status = get("cmi.core.lesson_status");
  var finished = status === "completed" || status === "passed" || status === "failed";
  if (!finished && status !== "incomplete") { set("cmi.core.lesson_status", "incomplete"); }
  var mastery = typeof config.mastery === "number" ? config.mastery : null;

  /* What each activity has reported; a story that reached an ending stays ended. */
  var parts = {};
  sections.forEach(function (el) {
    parts[keyOf(el)] = el.classList.contains("stl-quiz") ?
      { kind: "quiz", total: el.querySelectorAll("form.stl-item").length, answered: 0, firstTry: 0 } :
      { kind: "scenario", ended: false };
  });

  function report() {
    var total = 0, right = 0, done = true, quizzes = 0;
    keys.forEach(function (k) {
      var p = parts[k];
      if (p.kind === "quiz") {
        quizzes += 1;
        total += p.total;
        right += Math.min(p.firstTry, p.total);
        if (p.answered < p.total) { done = false; }
      } else if (!p.ended) { done = false; }
    });
    if (done) {
      var score = total ? Math.round(100 * right / total) : null;
      if (quizzes && score !== null) {
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", score);
      }
      set("cmi.core.lesson_status", mastery !== null && score !== null ? (score >= mastery ? "passed" : "failed") : "completed");
      finished = true;
    }
    snapshot();
    try { api.LMSCommit(""); } catch (e) { /* the LMS keeps what it has */ }
  }

  document.addEventListener("stl-progress", function (ev) {
    var d = ev.detail || {};
    var p = parts[d.key];
    if (!p) { return; }
    if (p.kind === "quiz") {
      p.answered = Number(d.answered) || 0;
      p.firstTry = Number(d.firstTry) || 0;
    } else if (Number(d.endingsFound) > 0 || d.atEnding) {
      p.ended = true;
    }
    report();
  });

  /* Tell the learner that the platform is told; the words are the page's. */
  var note = document.createElement("p");
  note.className = "stl-scorm-note";
  note.textContent = (config.messages && config.messages.connected) || "";
  var h1 = document.querySelector("main h1");
  if (note.textContent && h1 && h1.parentNode) { h1.parentNode.insertBefore(note, h1.nextSibling); }

  var started = new Date().getTime();
  function timespan(ms) {   /* CMITimespan: HHHH:MM:SS.SS */
    var cs = Math.max(0, Math.round(ms / 10));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.min(9999, Math.floor(cs / 360000))) + ":" + two(Math.floor(cs / 6000) % 60) + ":" +
      two(Math.floor(cs / 100) % 60) + "." + two(cs % 100);
  }
  var closed = false;
  function finish() {
    if (closed) { return; }
    closed = true;
    snapshot();
    set("cmi.core.session_time", timespan(new Date().getTime() - started));
    set("cmi.core.exit", finished ? "" : "suspend");
    try { api.LMSCommit(""); } catch (e) { /* nothing more to do */ }
    try { api.LMSFinish(""); } catch (e) { /* nothing more to do */ }
    forgetHere();
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
