// Screener: builds a Case from the form, posts it, shows the server-rendered result.
(function () {
  "use strict";
  const form = document.getElementById("screener");
  const result = document.getElementById("result");
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const statutes = {};
  for (const s of JSON.parse(document.getElementById("statutes-data").textContent)) statutes[s.statute] = s;
  // The messages shown to the user, in the page's language (rendered by the template).
  const messages = JSON.parse(document.getElementById("screener-messages").textContent);
  function t(key, vars) { return messages[key].replace(/\{(\w+)\}/g, (_, k) => String((vars || {})[k])); }

  const own = (row, sel) => Array.from(row.querySelectorAll(sel)).filter((el) => el.closest("[data-row]") === row);

  function setPath(obj, path, value) {
    const keys = path.split(".");
    let o = obj;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] || {};
    o[keys[keys.length - 1]] = value;
  }
  function getPath(obj, path) {
    return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
  }

  function collect(row) {
    const out = {};
    for (const el of own(row, "[data-key]")) {
      if (el.type === "checkbox") { if (el.checked) setPath(out, el.dataset.key, true); continue; }
      const v = el.value.trim();
      if (v !== "") setPath(out, el.dataset.key, v);
    }
    for (const list of own(row, "[data-list]")) {
      const items = [];
      for (const child of list.children) if (child.matches("[data-row]")) items.push(collect(child));
      if (items.length) setPath(out, list.dataset.list, items);
    }
    return out;
  }

  // Every control of a new row gets a unique id, and its label a matching `for` (screen readers, keyboard).
  let uid = 0;
  function pairLabels(row) {
    uid += 1;
    for (const label of row.querySelectorAll("label:not([for])")) {
      const el = label.querySelector("input, select, textarea");
      if (!el) continue;
      if (!el.id) el.id = ("f-" + (el.dataset.key || "field") + "-" + uid).replace(/[^A-Za-z0-9_-]/g, "-");
      label.htmlFor = el.id;
    }
    const note = own(row, ".hint")[0];
    const statute = own(row, "[data-key=statute]")[0];
    if (note && statute) {
      note.id = statute.id + "-hint";
      statute.setAttribute("aria-describedby", note.id);
    }
  }

  function addRow(list, data) {
    const tpl = document.getElementById(list.dataset.template);
    const row = tpl.content.firstElementChild.cloneNode(true);
    pairLabels(row);
    list.appendChild(row);
    wire(row);
    if (data) fill(row, data);
    return row;
  }

  function fill(row, data) {
    for (const el of own(row, "[data-key]")) {
      const v = getPath(data, el.dataset.key);
      if (el.type === "checkbox") el.checked = v === true;
      else if (v !== undefined && v !== null) el.value = String(v);
      if (el.dataset.key === "statute") hint(el);
    }
    for (const list of own(row, "[data-list]")) {
      for (const item of getPath(data, list.dataset.list) || []) addRow(list, item);
    }
  }

  function hint(input) {
    const p = input.closest("[data-row]").querySelector(".hint");
    if (!p) return;
    const key = input.value.trim().toUpperCase().replace(/^(\d)/, "PL $1").replace(/^PL\s*\d+\//, "PL ");
    const s = statutes[key.replace(/\s+/g, " ")];
    p.textContent = !input.value.trim() ? "" : s
      ? t("listed", { name: s.name, grade: s.class }) +
        (s.subdivisions.length ? t("subdivisions", { list: s.subdivisions.join(", ") }) : "") +
        (s.by_rule ? t("by_rule") : "")
      : t("not_listed");
  }

  function wire(scope) {
    for (const b of own(scope, "[data-add]")) {
      b.addEventListener("click", () => {
        const list = own(b.closest("[data-row]"), "[data-list]").find((l) => l.dataset.template === b.dataset.add);
        const row = addRow(list);
        const first = row.querySelector("input, select");
        if (first) first.focus();
      });
    }
    for (const b of own(scope, "[data-remove]")) b.addEventListener("click", () => scope.remove());
    for (const i of own(scope, "[data-key=statute]")) i.addEventListener("input", () => hint(i));
  }

  function clearForm() {
    form.reset();
    for (const list of form.querySelectorAll("[data-list]")) list.replaceChildren();
    result.replaceChildren();
  }

  function fillCase(c) {
    clearForm();
    const data = JSON.parse(JSON.stringify(c));
    let time = "";
    if (typeof data.decided_at === "string" && data.decided_at.length > 10) {
      time = data.decided_at.slice(11, 16);
      data.decided_at = data.decided_at.slice(0, 10);
    }
    if (data.request && data.request.judicial_warrant_at) data.request.judicial_warrant_at = data.request.judicial_warrant_at.slice(0, 16);
    fill(form, data);
    document.getElementById("decided_time").value = time;
  }

  async function submit(ev) {
    ev.preventDefault();
    const c = collect(form);
    const time = document.getElementById("decided_time").value;
    if (c.decided_at && time) c.decided_at = `${c.decided_at}T${time}`;
    const wait = document.createElement("p");
    wait.textContent = t("deciding");
    result.replaceChildren(wait);
    try {
      const r = await fetch("/screener/result", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(c),
      });
      result.innerHTML = await r.text();
    } catch (e) {
      const p = document.createElement("p");
      p.className = "problems";
      p.setAttribute("role", "alert");
      p.textContent = t("unreachable");
      result.replaceChildren(p);
    }
    const h = result.querySelector("h2");
    if (h) { h.tabIndex = -1; h.focus(); }
  }

  wire(form);
  form.addEventListener("submit", submit);
  document.getElementById("clear").addEventListener("click", (e) => { e.preventDefault(); clearForm(); });
  document.getElementById("fill-example").addEventListener("click", () => {
    const name = document.getElementById("example").value;
    if (examples[name]) fillCase(examples[name]);
  });
})();
