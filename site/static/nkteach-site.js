/* nkteach course website: draw every chart from the one local plotly.js, and add answer lines
 * (shown only in print) under every exercise. Charts are written into the pages as
 *   <div class="nkteach-plotly" role="img" aria-label="TITLE">
 *     <script type="application/json">{"data": [...], "layout": {...}, "config": {...}}</script>
 *   </div>
 * by scripts/build_site.py (and by the explorers' text/html fallback). Nothing is fetched.
 * Exercise forms check answers with their own inline script (nkteach/templates/exercise_form.js). */
(function () {
  "use strict";

  function drawChart(div) {
    if (div.dataset.nkteachDrawn) { return; }
    var holder = div.querySelector('script[type="application/json"]');
    if (!holder || typeof Plotly === "undefined") { return; }
    var spec;
    try { spec = JSON.parse(holder.textContent); } catch (e) {
      div.setAttribute("data-nkteach-error", "bad figure JSON");
      return;
    }
    var config = Object.assign({ displaylogo: false, responsive: true }, spec.config || {});
    var target = document.createElement("div");
    target.className = "nkteach-plotly-canvas";
    div.appendChild(target);
    div.dataset.nkteachDrawn = "1";
    Plotly.newPlot(target, spec.data || [], spec.layout || {}, config);
  }

  // Ruled lines to write on, shown only in print, per exercise form (div.nkteach-exercise >
  // form, nkteach.exercises): two for a number (answer and working), one for a multiple choice
  // (the reason) or an ordering; none for the items of a classify exercise (tick a level).
  function linesFor(root) {
    var kind = "";
    try { kind = JSON.parse(root.querySelector("script.nk-seal").textContent).kind || ""; } catch (e) { }
    if ((root.getAttribute("data-ex-id") || "").indexOf("classify:") === 0) { return 0; }
    return kind === "numeric" ? 2 : 1;
  }

  function addAnswerLines(root) {
    var form = root.querySelector("form");
    if (!form || root.querySelector(".nkteach-answer-lines")) { return; }
    var n = linesFor(root);
    if (!n) { return; }
    var lines = document.createElement("div");
    lines.className = "nkteach-answer-lines";
    lines.setAttribute("aria-hidden", "true");
    for (var i = 0; i < n; i++) {
      lines.appendChild(document.createElement("div")).className = "nkteach-answer-line";
    }
    var feedback = form.querySelector(".nk-feedback");
    form.insertBefore(lines, feedback);
  }

  function init() {
    document.querySelectorAll("div.nkteach-plotly").forEach(drawChart);
    document.querySelectorAll(".nkteach-exercise").forEach(addAnswerLines);
  }

  // Charts drawn on a narrow screen are redrawn to the printed page's width.
  window.addEventListener("beforeprint", function () {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".nkteach-plotly-canvas").forEach(function (el) {
      Plotly.Plots.resize(el);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
