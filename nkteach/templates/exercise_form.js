// nkteach kernel-free exercise form: opens the exercise's seal with Web Crypto (docs/sealing.md).
// Called as nkteachForm(rootElement); the root holds <script type="application/json" class="nk-seal">.
(function (root) {
  "use strict";
  var enc = new TextEncoder();
  var seal = JSON.parse(root.querySelector("script.nk-seal").textContent);
  var exId = root.getAttribute("data-ex-id");
  var unit = root.getAttribute("data-unit") || "";
  var form = root.querySelector("form");
  var out = root.querySelector(".nk-feedback");
  var revealBtn = root.querySelector(".nk-reveal");
  var wrong = 0;
  var WS = /[ \t\n\r\f\v]+/g;
  var US = "\x1f";

  function norm(v) {
    return String(v).normalize("NFKC").toLowerCase().replace(WS, " ").replace(/^ +| +$/g, "");
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
    var raw = b64(blob);
    try {
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
  function say(icon, word, text) {
    out.textContent = "";
    var b = document.createElement("b");
    b.textContent = icon + " " + word;
    out.appendChild(b);
    if (text) out.appendChild(document.createTextNode(" " + text));
  }
  function readAnswer() {
    if (seal.kind === "choice") {
      var r = form.querySelector("input[type=radio]:checked");
      return r ? { keys: [norm(r.value)] } : { empty: "Choose an answer first." };
    }
    if (seal.kind === "numeric") {
      var t = form.querySelector("input[type=text]").value;
      if (!t.trim()) return { empty: "Type a number first." };
      var x = parseNumber(t);
      if (x === null) return { empty: "That is not a number: type digits, e.g. 49.34 or 49,34." };
      return { keys: candidates(x, seal.tolerance), x: x };
    }
    var sels = Array.from(form.querySelectorAll("select")), pos = {}, order = [];
    for (var i = 0; i < sels.length; i++) {
      var v = sels[i].value;
      if (!v) return { empty: "Give every event a position." };
      if (pos[v]) return { empty: "Use each position once." };
      pos[v] = sels[i].getAttribute("data-item");
    }
    for (var p = 1; p <= sels.length; p++) order.push(pos[String(p)]);
    return { keys: [order.map(norm).join("\n")], order: order };
  }
  async function check(ev) {
    ev.preventDefault();
    var a = readAnswer();
    if (a.empty) { say("…", "Not answered.", a.empty); return; }
    for (var i = 0; i < a.keys.length; i++) {
      var key = await deriveKey(a.keys[i], "nkteach answer key");
      var got = await open(key, "right", seal.right);
      if (got) { say("✔", "Correct.", got.text); revealBtn.hidden = true; return; }
      var alsos = seal.also || [];
      for (var j = 0; j < alsos.length; j++) {
        got = await open(key, "also", alsos[j]);
        if (got) { say("◐", "Also defensible.", got.text); return; }
      }
      var hints = seal.hints || [];
      for (j = 0; j < hints.length; j++) {
        got = await open(key, "hint", hints[j]);
        if (got) { wrong++; say("✘", "Not yet.", "Hint: " + got.text); offerReveal(); return; }
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
    say("✘", "Not yet.", (more + " Try again.").trim());
    offerReveal();
  }
  function offerReveal() {
    if (wrong >= 3 && seal.reveal_key) revealBtn.hidden = false;
  }
  async function reveal() {
    var got = await open(await aesKey(b64(seal.reveal_key)), "reveal", seal.reveal);
    if (got) say("ℹ", "Answer:", got.answer + ". " + got.text);
    revealBtn.hidden = true;
  }
  if (!(window.crypto && crypto.subtle)) {
    say("⚠", "Unavailable:", "this page is not a secure context, so answers cannot be checked here.");
    return;
  }
  form.addEventListener("submit", check);
  revealBtn.addEventListener("click", reveal);
})
