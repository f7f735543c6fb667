/* Spot the Lure lesson slides: start reveal.js with the deck's settings. No words of its own and
   nothing loaded from elsewhere: reveal.js and its notes plugin sit beside this file in the built deck.
   The words reveal.js writes into the deck (its buttons' names, the list of keys) are put in the
   deck's language, from the page (data-stl-words). A right-to-left deck moves from right to left:
   the left arrow goes to the next slide; Page Down and Page Up (what a clicker sends) do as always. */
(function () {
  "use strict";
  if (typeof Reveal === "undefined") { return; }
  var root = document.querySelector(".reveal");
  var words = {};
  try { words = JSON.parse(root.getAttribute("data-stl-words") || "{}"); } catch (e) { words = {}; }
  var rtl = document.documentElement.dir === "rtl";
  function say(el, attr, text) {
    if (el && text) { if (attr) { el.setAttribute(attr, text); } else { el.textContent = text; } }
  }
  Reveal.initialize({
    rtl: rtl,
    hash: true,                 // each slide has an address; a reload stays on the slide
    width: 1280, height: 720, margin: 0.04,
    center: false,
    controls: true, controlsTutorial: false, progress: true, slideNumber: "c/t",
    keyboard: true,             // arrows, Page Up / Page Down (what a clicker sends), Space, Home, End
    overview: true, help: true,
    transition: "none", backgroundTransition: "none",   // no motion: calmer, and nothing to wait for
    pdfMaxPagesPerSlide: 1, pdfSeparateFragments: false,  // ?print-pdf: one slide a page
    plugins: typeof RevealNotes === "undefined" ? [] : [RevealNotes]
  });
  // A slide whose text is longer than the slide (a school's long list of contacts) gets smaller
  // type, down to 60%, rather than text cut off at the bottom. A slide is measured when shown.
  function fit(s) {
    if (!s || s.dataset.stlFitted) { return; }
    var height = Reveal.getConfig().height, size = 100;
    var base = parseFloat(window.getComputedStyle(s).fontSize);
    while (s.scrollHeight > height && size > 60) {
      size -= 5;
      s.style.fontSize = (base * size / 100) + "px";
    }
    if (s.scrollHeight > 0) { s.dataset.stlFitted = "1"; }
  }
  // reveal.js's own words, in the deck's language
  function speak() {
    say(root.querySelector(".controls .navigate-left"), "aria-label", rtl ? words.next : words.previous);
    say(root.querySelector(".controls .navigate-right"), "aria-label", rtl ? words.previous : words.next);
    say(root.querySelector(".controls .navigate-up"), "aria-label", words.up);
    say(root.querySelector(".controls .navigate-down"), "aria-label", words.down);
    say(root.querySelector(".pause-overlay .resume-button"), null, words.resume);
  }
  function speakHelp() {
    var help = document.querySelector(".r-overlay-help");
    if (!help) { return; }
    say(help.querySelector(".title"), null, words.help);
    var heads = help.querySelectorAll("th");
    say(heads[0], null, words.key);
    say(heads[1], null, words.action);
    Array.prototype.forEach.call(help.querySelectorAll("tr"), function (row) {
      var cells = row.querySelectorAll("td");
      if (cells[0] && !cells[0].querySelector("bdi")) {     // keys read left to right, as on the keyboard
        var keys = document.createElement("bdi");
        keys.dir = "ltr";
        while (cells[0].firstChild) { keys.appendChild(cells[0].firstChild); }
        cells[0].appendChild(keys);
      }
      var own = cells[1] && (words.actions || {})[cells[1].textContent.trim()];
      if (own) { cells[1].textContent = own; }
    });
  }
  // The box for a slide's number (G) is added to the deck when it opens
  new MutationObserver(function () {
    var box = root.querySelector(".jump-to-slide-input");
    if (box && words.jump && box.getAttribute("aria-label") !== words.jump) {
      box.placeholder = words.jump;
      box.setAttribute("aria-label", words.jump);
    }
  }).observe(root, {childList: true});
  Reveal.on("showhelp", speakHelp);
  Reveal.on("ready", function (e) { speak(); fit(e.currentSlide); });
  Reveal.on("slidechanged", function (e) { fit(e.currentSlide); });
  Reveal.on("pdf-ready", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".reveal .slides section"), fit);
  });
})();
