/* nkteach live explorers: every control works in the browser, with no kernel and no request
 * outside the site (issue 20). Markup is written by nkteach.live.live_html:
 *   <div class="nkteach-live" data-explorer="NAME" [data-src="same-site.json"]>
 *     <form class="nkl-controls"> real HTML controls, each with a visible label </form>
 *     <div class="nkl-view"></div>                          chart (plotly.js) or map (HTML)
 *     <div class="nkl-summary" role="status" aria-live="polite">Summary: ...</div>
 *     <div class="nkl-view nkl-mapview"></div>     a map beside the chart (a view with a map)
 *     <div class="nkl-side"> HTML the kernel explorer shows beside it </div>
 *     <script type="application/json" class="nkl-data">{controls, pool, states, ...}</script>
 *   </div>
 * The description holds every state the kernel explorer can show (computed by the real Python
 * explorer); a state refers to a pool of traces, layouts, texts and map lines stored once each.
 * A declarative view (desc.view) is run instead by the interpreter below, the same operators as
 * nkteach/live/view.py; it may pick one of the stored map pages (desc.maps: runs of pool lines).
 * With data-src the description is loaded (same site) when the explorer scrolls into view.
 * Needs the site's one plotly.js (window.Plotly) for charts. */
(function () {
  "use strict";

  var NAMING_EVENT = "nkteach-live-naming";
  var live = window.nkteachLive = window.nkteachLive || { explorers: [], naming: null, times: {} };

  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  // The declarative view's interpreter: the same operators as nkteach/live/view.py.
  function text(v) {
    if (v === null || v === undefined) { return ""; }
    return String(v);
  }
  function truthy(v) { return !(v === 0 || v === "" || v === null || v === false || v === undefined); }
  function cmp(a, b) {   // -1/0/1; lists item by item, as Python compares them
    if (Array.isArray(a) && Array.isArray(b)) {
      for (var i = 0; i < Math.min(a.length, b.length); i++) {
        var c = cmp(a[i], b[i]);
        if (c) { return c; }
      }
      return cmp(a.length, b.length);
    }
    return a > b ? 1 : (a < b ? -1 : 0);
  }
  function setAt(obj, path, value) {
    var target = obj;
    for (var i = 0; i < path.length - 1; i++) { target = target[path[i]]; }
    target[path[path.length - 1]] = value;
    return obj;
  }
  function evaluate(e, ch, pool) {
    if (!Array.isArray(e)) { return e; }
    var op = e[0], ev = function (x) { return evaluate(x, ch, pool); };
    switch (op) {
      case "c": return e.length > 2 ? ch[e[1]][e[2]] : ch[e[1]];
      case "q": return e[1];
      case "lk": return e[1][ev(e[2])];
      case "at": return ev(e[1])[ev(e[2])];
      case "get": return e[2].reduce(function (v, step) { return v[step]; }, ev(e[1]));
      case "slice": return ev(e[1]).slice(ev(e[2]), ev(e[3]));
      case "sub": return ev(e[1]) - ev(e[2]);
      case "cmp": return cmp(ev(e[1]), ev(e[2]));
      case "min": return Math.min.apply(null, e[1].map(ev));
      case "max": return Math.max.apply(null, e[1].map(ev));
      case "argmax": {
        var items = ev(e[1]), best = -1;
        for (var k = 0; k < items.length; k++) {
          if (items[k] !== null && (best < 0 || cmp(items[k], items[best]) > 0)) { best = k; }
        }
        return best;
      }
      case "sum": return e[1].reduce(function (a, x) { return a + ev(x); }, 0);
      case "cat": return e[1].map(function (x) { return text(ev(x)); }).join("");
      case "join": return e[2].map(function (x) { return text(ev(x)); }).filter(function (t) { return t !== ""; }).join(e[1]);
      case "if": return truthy(ev(e[1])) ? ev(e[2]) : ev(e[3]);
      case "list": return e[1].map(ev);
      case "pool": return clone(pool[ev(e[1])]);
      case "patch": return setAt(clone(pool[e[1]]), e[2], ev(e[3]));
      case "set": return setAt(clone(ev(e[1])), e[2], ev(e[3]));
      case "fig": {
        var layout = clone(Array.isArray(e[1]) ? ev(e[1]) : pool[e[1]]);
        if (e[2] !== null) { layout.template = clone(pool[e[2]]); }
        return { data: e[3].map(ev).filter(function (t) { return t !== null; }), layout: layout };
      }
    }
    throw new Error("view: unknown operator " + op);
  }
  function runView(view, pool, ch) {
    if (view.error !== undefined) {
      var err = text(evaluate(view.error, ch, pool));
      if (err !== "") { return { summary: "", figure: null, side: [], error: err, map: null }; }
    }
    var out = { summary: text(evaluate(view.summary, ch, pool)), figure: evaluate(view.figure, ch, pool),
                side: (view.side || []).map(function (x) { return text(evaluate(x, ch, pool)); }) };
    if (view.map !== undefined) { out.map = evaluate(view.map, ch, pool); }
    return out;
  }
  live.runView = runView;
  live.evaluate = evaluate;

  function ctlChoice(el) {
    var kind = el.getAttribute("data-kind");
    if (kind === "radio") {
      var on = el.querySelector("input:checked");
      return on ? +on.value : 0;
    }
    if (kind === "select") { return +el.querySelector("select").value; }
    if (kind === "checkbox") { return el.querySelector("input").checked ? 1 : 0; }
    if (kind === "toggle") { return el.querySelector("button").getAttribute("aria-pressed") === "true" ? 1 : 0; }
    if (kind === "range") { return +el.querySelector("input").value; }
    if (kind === "pair") {
      var s = el.querySelectorAll("select");
      return (+s[0].value) + "-" + (+s[1].value);
    }
    return 0;
  }

  function Explorer(root, desc) {
    this.root = root;
    this.desc = desc;
    this.pool = desc.pool;
    this.ctls = Array.prototype.slice.call(root.querySelectorAll(".nkl-controls .nkl-ctl"));
    this.view = root.querySelector(".nkl-view");
    // a map beside the chart (the timeline's places) has its own area; else maps replace charts
    this.mapView = root.querySelector(".nkl-mapview") || this.view;
    this.summary = root.querySelector(".nkl-summary");
    this.sides = Array.prototype.slice.call(root.querySelectorAll(".nkl-side"));
    this.chart = null;
    this.mapKey = null;
    this.updates = 0;
    var parts = desc.initial.split("|");
    this.namingIndex = desc.naming ? +parts[parts.length - 1] : null;
    if (desc.naming && !desc.sets_naming && live.naming !== null) { this.namingIndex = live.naming; }
    if (desc.sets_naming) { live.naming = +parts[0]; }
    live.times[desc.name] = live.times[desc.name] || [];
    this.wire();
  }

  Explorer.prototype.key = function () {
    var parts = this.ctls.map(ctlChoice);
    if (this.desc.naming && !this.desc.sets_naming) { parts.push(this.namingIndex); }
    return parts.join("|");
  };

  Explorer.prototype.wire = function () {
    var self = this;
    this.ctls.forEach(function (el) {
      var kind = el.getAttribute("data-kind");
      if (kind === "toggle") {
        var b = el.querySelector("button");
        b.addEventListener("click", function () {
          b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
          self.update();
        });
        return;
      }
      if (kind === "range") {
        var r = el.querySelector("input"), out = el.querySelector("output");
        var labels = self.desc.controls[+el.getAttribute("data-ctl")].labels;
        r.addEventListener("input", function () {
          out.textContent = labels[+r.value];
          r.setAttribute("aria-valuetext", labels[+r.value]);
        });
      }
      if (kind === "pair") {
        var s = el.querySelectorAll("select");
        // keep from <= to, as the kernel's range slider does
        s[0].addEventListener("change", function () { if (+s[0].value > +s[1].value) { s[1].value = s[0].value; } });
        s[1].addEventListener("change", function () { if (+s[1].value < +s[0].value) { s[0].value = s[1].value; } });
      }
      el.addEventListener("change", function () { self.update(); });
    });
    if (this.desc.naming && !this.desc.sets_naming) {
      document.addEventListener(NAMING_EVENT, function (ev) {
        if (ev.detail.index !== self.namingIndex) {
          self.namingIndex = ev.detail.index;
          self.update();
        }
      });
    }
  };

  Explorer.prototype.setSummary = function (text) {
    if (this.summary.textContent !== text) { this.summary.textContent = text; }   // once per change
  };

  // What the explorer shows for the controls now: from a stored state or by running the view.
  Explorer.prototype.result = function (key) {
    var pool = this.pool, desc = this.desc;
    if (desc.view) {
      var choices = this.ctls.map(function (el) {
        var c = ctlChoice(el);
        return typeof c === "string" ? c.split("-").map(Number) : c;
      });
      if (desc.naming && !desc.sets_naming) { choices.push(this.namingIndex); }
      var out = runView(desc.view, pool, choices);
      if (out.error) { return { error: out.error }; }
      var got = { summary: out.summary, figure: out.figure, side: out.side };
      if (out.map !== undefined && out.map !== null) { got.map = this.mapLines(out.map); }
      return got;
    }
    var st = desc.states[key];
    if (!st) { return { error: "This combination of controls has no stored view (" + key + ")." }; }
    if (st.e !== undefined) { return { error: pool[st.e] }; }
    var res = { summary: st.s.map(function (i) { return pool[i]; }).join(". "), side: (st.x || []).map(function (i) { return pool[i]; }) };
    if (st.m) { res.map = st.m; }
    if (st.f) {
      var layout = clone(pool[st.f.l]);
      if (st.f.t !== undefined) { layout.template = pool[st.f.t]; }
      res.figure = { data: st.f.d.map(function (i) { return clone(pool[i]); }), layout: layout };
    }
    return res;
  };

  // A stored map page of a declarative view: its runs [first pool line, count] of lines.
  Explorer.prototype.mapLines = function (i) {
    var lines = [];
    this.desc.maps[i].forEach(function (run) {
      for (var j = run[0]; j < run[0] + run[1]; j++) { lines.push(j); }
    });
    return lines;
  };

  Explorer.prototype.update = function () {
    var t0 = performance.now(), self = this, key = this.key();
    var seq = this.seq = (this.seq || 0) + 1;
    var done = function () {
      var ms = performance.now() - t0;
      // on the site: a chart wider than a narrow screen scrolls in a focusable box
      if (window.nkteachMarkScroll) { window.nkteachMarkScroll(self.view); }
      self.updates += 1;
      live.times[self.desc.name].push(ms);
      // a slower earlier update (a map page still loading) never overwrites a later state
      if (seq === self.seq) { self.root.setAttribute("data-nkl-state", key); }
      self.root.setAttribute("data-nkl-updates", String(self.updates));
      self.root.setAttribute("data-nkl-ms", ms.toFixed(2));
    };
    if (this.desc.sets_naming) {
      live.naming = +key.split("|")[0];
      document.dispatchEvent(new CustomEvent(NAMING_EVENT, { detail: { index: live.naming } }));
    }
    var res = this.result(key);
    var sides = res.side || [];
    this.sides.forEach(function (el, j) {
      var html = sides[j] || "";
      if (el.innerHTML !== html) { el.innerHTML = html; }   // HTML escaped by the kernel explorer
    });
    if (res.error !== undefined) {
      this.clearView();
      this.setSummary("⚠ " + res.error);
      done();
      return Promise.resolve();
    }
    this.setSummary("Summary: " + res.summary);
    if (this.mapView !== this.view) {      // a chart and a map beside it
      var drawn = [res.map ? this.drawMap(res.map) : Promise.resolve(this.clearMaps())];
      drawn.push(res.figure ? this.drawChart(res.figure) : Promise.resolve(this.clearView()));
      return Promise.all(drawn).then(done, function (e) {
        self.root.setAttribute("data-nkl-error", String(e));
        done();
      });
    }
    if (res.map) { return this.drawMap(res.map).then(done); }
    if (res.figure) {
      return this.drawChart(res.figure).then(done, function (e) {   // plotly refused the figure
        self.root.setAttribute("data-nkl-error", String(e));
        done();
      });
    }
    this.clearView();
    done();
    return Promise.resolve();
  };

  // Hide the maps kept beside a chart (they stay in the page for a quick way back).
  Explorer.prototype.clearMaps = function () {
    (this.maps || []).forEach(function (m) { m.el.hidden = true; });
    this.mapKey = null;
  };

  Explorer.prototype.clearView = function () {
    if (this.chart && window.Plotly) { Plotly.purge(this.chart); }
    this.chart = null;
    if (this.mapView === this.view) {
      this.mapKey = null;
      this.maps = [];
    } else {
      this.clearMaps();
    }
    this.view.innerHTML = "";
  };

  // The map's HTML (an iframe whose srcdoc is the map page); resolves once the map page has
  // loaded (its own script has drawn the map), or after 5 s. The last MAPS_KEPT maps stay in
  // the page, hidden, so going back to one shows it at once (as the kernel's cache does).
  var MAPS_KEPT = 6;
  Explorer.prototype.drawMap = function (lines) {
    var k = lines.join(",");
    if (k === this.mapKey) { return Promise.resolve(); }
    if (this.chart && this.mapView === this.view) { this.clearView(); }
    var pool = this.pool, view = this.mapView;
    this.maps = this.maps || [];
    this.mapKey = k;
    var kept = null;
    this.maps.forEach(function (m) {
      if (m.key === k) { kept = m; }
      m.el.hidden = m.key !== k;
    });
    if (kept) {
      this.maps.splice(this.maps.indexOf(kept), 1);
      this.maps.push(kept);
      return Promise.resolve();
    }
    var el = document.createElement("div");
    el.className = "nkl-map";
    this.maps.push({ key: k, el: el });
    while (this.maps.length > MAPS_KEPT) { view.removeChild(this.maps.shift().el); }
    return new Promise(function (resolve) {
      el.innerHTML = lines.map(function (i) { return pool[i]; }).join("\n");
      view.appendChild(el);
      var frame = el.querySelector("iframe");
      if (!frame) { resolve(); return; }
      // on the site: the title, summary description and skip link the site gives every map
      if (window.nkteachLabelMap) { window.nkteachLabelMap(frame); }
      var timer = setTimeout(resolve, 5000);
      frame.addEventListener("load", function () { clearTimeout(timer); resolve(); }, { once: true });
    });
  };

  Explorer.prototype.drawChart = function (fig) {
    var data = fig.data, layout = fig.layout;
    if (typeof Plotly === "undefined") {
      this.view.textContent = "The chart needs the site's plotly.js, which did not load.";
      return Promise.resolve();
    }
    if (!this.chart) {
      this.view.innerHTML = "";
      if (this.mapView === this.view) {
        this.mapKey = null;
        this.maps = [];
      }
      this.chart = document.createElement("div");
      this.chart.className = "nkl-chart nkteach-plotly-canvas";
      this.chart.setAttribute("role", "img");
      this.view.appendChild(this.chart);
    }
    var title = layout.title && layout.title.text ? String(layout.title.text) : "chart";
    this.chart.setAttribute("aria-label", title.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    // no mode bar: its buttons would be focusable controls inside an element whose role is img
    // (axe nested-interactive), as on the site's other charts; the summary carries the content
    return Plotly.react(this.chart, data, layout, { displaylogo: false, responsive: true,
                                                    displayModeBar: false });
  };

  function start(root, desc) {
    var ex = new Explorer(root, desc);
    live.explorers.push(ex);
    return ex.update().then(function () { root.setAttribute("data-nkl-ready", "1"); });
  }

  function load(root) {
    var src = root.getAttribute("data-src");
    if (src) {
      return fetch(src, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      }).then(function (desc) { return start(root, desc); }).catch(function (e) {
        root.setAttribute("data-nkl-error", String(e));
      });
    }
    var holder = root.querySelector('script.nkl-data[type="application/json"]');
    try {
      return start(root, JSON.parse(holder.textContent));
    } catch (e) {
      root.setAttribute("data-nkl-error", String(e));
      return Promise.resolve();
    }
  }

  function init() {
    var roots = Array.prototype.slice.call(document.querySelectorAll("div.nkteach-live:not([data-nkl-seen])"));
    var lazy = roots.filter(function (r) { return r.hasAttribute("data-src"); });
    roots.forEach(function (r) { r.setAttribute("data-nkl-seen", "1"); });
    // the naming toggle first, so explorers that follow it start with the page's policy
    roots.filter(function (r) { return !r.hasAttribute("data-src"); })
      .sort(function (a, b) { return (b.getAttribute("data-explorer") === "naming_toggle") - (a.getAttribute("data-explorer") === "naming_toggle"); })
      .forEach(load);
    if (!lazy.length) { return; }
    if (!("IntersectionObserver" in window)) { lazy.forEach(load); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (en.isIntersecting) { io.unobserve(en.target); load(en.target); }
      });
    }, { rootMargin: "600px 0px" });
    lazy.forEach(function (r) { io.observe(r); });
  }

  live.init = init;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
