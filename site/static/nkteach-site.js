/* nkteach course website: draw every chart from the one local plotly.js, and add answer lines
 * (shown only in print) under every exercise. Charts are written into the pages as
 *   <div class="nkteach-plotly" role="img" aria-label="TITLE">
 *     <script type="application/json">{"data": [...], "layout": {...}, "config": {...}}</script>
 *   </div>
 * by scripts/build_site.py (and by the explorers' text/html fallback). Nothing is fetched. */
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

  function addAnswerLines(form) {
    if (form.querySelector(".nkteach-answer-lines")) { return; }
    var lines = document.createElement("div");
    lines.className = "nkteach-answer-lines";
    lines.setAttribute("aria-hidden", "true");
    for (var i = 0; i < 4; i++) {   // ruled lines to write the answer on (printed only)
      lines.appendChild(document.createElement("div")).className = "nkteach-answer-line";
    }
    form.appendChild(lines);
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
