// nkteach kernel-free exercise form: opens the exercise's seal with Web Crypto (docs/sealing.md).
// Called as nkteachForm(rootElement); the root holds <script type="application/json" class="nk-seal">
// and <script type="application/json" class="nk-table"> (kinds, outcome words and icons, written
// by nkteach.exercises.form from the kind registry and nkteach.outcomes).
(function (root) {
  "use strict";
  var enc = new TextEncoder();
  var seal = JSON.parse(root.querySelector("script.nk-seal").textContent);
  var table = JSON.parse(root.querySelector("script.nk-table").textContent);
  var exId = root.getAttribute("data-ex-id");
  var unit = root.getAttribute("data-unit") || "";
  var form = root.querySelector("form");
  var out = root.querySelector(".nk-feedback");
  var revealBtn = root.querySelector(".nk-reveal");
  var release = root.querySelector(".nk-release");
  var wrong = 0;
  var WS = /[ \t\n\r\f\v]+/g;
  var US = "\x1f";
  var CORRECT = "correct", ALSO = "also defensible", NOT_YET = "not yet", NO_ANSWER = "no answer";

  function norm(v) {
    return String(v).normalize("NFKC").toLowerCase().replace(WS, " ").replace(/^ +| +$/g, "");
  }
  // The same rule as nkteach.sealing.normalise_code: NFKC, spaces and dashes out, upper case,
  // Crockford's aliases O -> 0 and I, L -> 1.
  function normCode(v) {
    return String(v).normalize("NFKC").replace(/[\s\-\u2010-\u2015\u2212]+/g, "").toUpperCase()
      .replace(/O/g, "0").replace(/[IL]/g, "1");
  }
  function b64(s) {
    var bin = atob(s), u = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    return u;
  }
  function aesKey(raw) {
    return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt"]);
  }
  async function deriveKey(text, info) {
    var ikm = await crypto.subtle.importKey("raw", enc.encode(text), "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: enc.encode("nkteach/seal/v1/" + exId), info: enc.encode(info) },
      ikm, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
  }
  async function open(key, slot, blob) {
    try {
      var raw = b64(blob);
      var plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: raw.slice(0, 12), additionalData: enc.encode(exId + US + slot) },
        key, raw.slice(12));
      return JSON.parse(new TextDecoder().decode(plain));
    } catch (e) {
      return null;
    }
  }
  async function tag(position, item) {
    var d = await crypto.subtle.digest("SHA-256", enc.encode(exId + US + position + US + norm(item)));
    return Array.from(new Uint8Array(d)).map(function (b) { return b.toString(16).padStart(2, "0"); })
      .join("").slice(0, 16);
  }
  // The same rule as nkteach.exercises.parse_number: unit or % suffix, spaces, decimal comma.
  function parseNumber(text) {
    var s = String(text).normalize("NFKC").trim();
    [unit, "%"].forEach(function (suf) {
      if (suf && s.toLowerCase().endsWith(suf.toLowerCase())) s = s.slice(0, s.length - suf.length).trim();
    });
    s = s.replace(/[ _'\u2019]/g, "");
    if ((s.match(/,/g) || []).length === 1 && s.indexOf(".") < 0) s = s.replace(",", ".");
    else s = s.replace(/,/g, "");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    var x = Number(s);
    return isFinite(x) ? x : null;
  }
  function candidates(x, tol) {
    var step = tol > 0 ? tol / 10 : 1e-6, reach = tol + step / 2, keys = [];
    for (var k = Math.ceil((x - reach) / step); k <= Math.floor((x + reach) / step); k++) keys.push(String(k));
    return keys;
  }
  function sayIn(where, icon, word, text) {
    where.textContent = "";
    var b = document.createElement("b");
    b.textContent = icon + " " + word;
    where.appendChild(b);
    if (text) where.appendChild(document.createTextNode(" " + text));
  }
  function say(outcome, text) {
    sayIn(out, table.icons[outcome], table.headings[outcome], text);
  }
  function readAnswer() {
    var empty = (table.kinds[seal.kind] || {}).empty || "Answer first.";
    if (seal.kind === "choice") {
      var r = form.querySelector("input[type=radio]:checked");
      return r ? { keys: [norm(r.value)] } : { empty: empty };
    }
    if (seal.kind === "numeric") {
      var t = form.querySelector("input[type=text]").value;
      if (!t.trim()) return { empty: empty };
      var x = parseNumber(t);
      if (x === null) return { empty: "That is not a number: type digits, e.g. 49.34 or 49,34." };
      return { keys: candidates(x, seal.tolerance), x: x };
    }
    var sels = Array.from(form.querySelectorAll("select")), pos = {}, order = [];
    for (var i = 0; i < sels.length; i++) {
      var v = sels[i].value;
      if (!v) return { empty: empty };
      if (pos[v]) return { empty: "Use each position once (" + v + " is used twice)." };
      pos[v] = sels[i].getAttribute("data-item");
    }
    for (var p = 1; p <= sels.length; p++) order.push(pos[String(p)]);
    return { keys: [order.map(norm).join("\n")], order: order };
  }
  async function check(ev) {
    ev.preventDefault();
    var a = readAnswer();
    if (a.empty) { say(NO_ANSWER, a.empty); return; }
    for (var i = 0; i < a.keys.length; i++) {
      var key = await deriveKey(a.keys[i], "nkteach answer key");
      var got = await open(key, "right", seal.right);
      if (got) { say(CORRECT, got.text); revealBtn.hidden = true; return; }
      var alsos = seal.also || [];
      for (var j = 0; j < alsos.length; j++) {
        got = await open(key, "also", alsos[j]);
        if (got) { say(ALSO, got.text); return; }
      }
      var hints = seal.hints || [];
      for (j = 0; j < hints.length; j++) {
        got = await open(key, "hint", hints[j]);
        if (got) { wrong++; say(NOT_YET, "Hint: " + got.text); offerReveal(); return; }
      }
    }
    wrong++;
    var more = root.getAttribute("data-hint") ? "Hint: " + root.getAttribute("data-hint") : "";
    if (seal.kind === "ordering") {
      var hits = 0;
      for (var p = 0; p < a.order.length; p++) if ((await tag(p, a.order[p])) === seal.positions[p]) hits++;
      more = "In the right place: " + hits + " of " + a.order.length + ". " + more;
    } else if (seal.kind === "numeric" && !more) {
      more = "Not within the accepted range (± " + seal.tolerance + ").";
    }
    say(NOT_YET, (more + " Try again.").trim());
    offerReveal();
  }
  function offerReveal() {
    if (wrong >= table.reveal_after && seal.reveal_key) revealBtn.hidden = false;
  }
  function answerText(got) {
    var head = seal.kind === "written" ? "Model answer: " : "Answer: ";
    return (head + got.answer + (seal.kind === "written" ? "" : ".") + " " + (got.text || "")).trim();
  }
  async function reveal() {
    var got = await open(await aesKey(b64(seal.reveal_key)), "reveal", seal.reveal);
    if (got) sayIn(out, "ℹ", "", answerText(got));
    revealBtn.hidden = true;
  }
  // Release codes: one code opens every release blob of the lesson; a code that opens this
  // exercise's blob is offered to the other forms of the page, so it is typed once.
  async function unlock(code, quiet) {
    var where = release.querySelector(".nk-release-out");
    var got = await open(await deriveKey(normCode(code), "nkteach release key"), "release", seal.release);
    if (!got) {
      if (!quiet) sayIn(where, "✘", "This code does not open this answer.",
                        "Check it (it looks like ABCD-EFGH-JKMN) and that it is this lesson's code.");
      return false;
    }
    sayIn(where, "ℹ", "", answerText(got));
    release.querySelector(".nk-code").value = code;
    if (!quiet) document.dispatchEvent(new CustomEvent("nkteach-release", { detail: code }));
    return true;
  }
  if (!(window.crypto && crypto.subtle)) {
    var msg = "this page is not a secure context, so answers cannot be checked here.";
    if (out) sayIn(out, "⚠", "Unavailable:", msg);
    if (release) sayIn(release.querySelector(".nk-release-out"), "⚠", "Unavailable:", msg);
    return;
  }
  if (form) {
    form.addEventListener("submit", check);
    revealBtn.addEventListener("click", reveal);
  }
  if (release && seal.release) {
    release.querySelector(".nk-unlock").addEventListener("click", function () {
      var code = release.querySelector(".nk-code").value;
      if (!code.trim()) {
        sayIn(release.querySelector(".nk-release-out"), table.icons[NO_ANSWER], "", "Type the code first.");
        return;
      }
      unlock(code, false);
    });
    document.addEventListener("nkteach-release", function (ev) { unlock(ev.detail, true); });
    if (window.nkteachReleaseCode) unlock(window.nkteachReleaseCode, true);
    document.addEventListener("nkteach-release", function (ev) { window.nkteachReleaseCode = ev.detail; });
  }
})
