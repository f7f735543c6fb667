/* Spot the Lure lesson slides: start reveal.js with the deck's settings. No words of its own and
   nothing loaded from elsewhere: reveal.js and its notes plugin sit beside this file in the built deck. */
(function () {
  "use strict";
  if (typeof Reveal === "undefined") { return; }
  Reveal.initialize({
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
  Reveal.on("ready", function (e) { fit(e.currentSlide); });
  Reveal.on("slidechanged", function (e) { fit(e.currentSlide); });
  Reveal.on("pdf-ready", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".reveal .slides section"), fit);
  });
})();
