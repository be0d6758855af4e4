// Reform lab: start a simulation job, poll its progress, show the comparison in words, tables and charts.
// The scenarios and settings live in the page's address (?scenario=…&as_of=…&layer=…), so a link reruns them.
(function () {
  "use strict";
  const form = document.getElementById("lab");
  const bar = document.getElementById("progress");
  const text = document.getElementById("status-text");
  const out = document.getElementById("output");
  const byId = (id) => document.getElementById(id);

  const messages = JSON.parse(byId("lab-messages").textContent);
  // A message in the page's language, its {placeholders} filled in.
  function t(key, vars) { return messages[key].replace(/\{(\w+)\}/g, (_, k) => String((vars || {})[k])); }
  function say(msg) { text.textContent = msg; }

  async function problem(r) {
    try {
      const j = await r.json();
      if (Array.isArray(j.detail)) return j.detail.map((d) => d.msg || String(d)).join("; ");
      return j.detail || r.statusText;
    } catch (e) { return r.statusText; }
  }

  function settings() {
    return {
      names: Array.from(form.querySelectorAll("input[name=scenario]:checked")).map((i) => i.value),
      asOf: byId("as_of").value || null,
      layer: byId("layer").value || null,
    };
  }

  function link(s) {
    const q = new URLSearchParams();
    for (const n of s.names) q.append("scenario", n);
    if (s.asOf) q.set("as_of", s.asOf);
    if (s.layer) q.set("layer", s.layer);
    return `${location.origin}${location.pathname}?${q}`;
  }

  async function start(ev) {
    if (ev) ev.preventDefault();
    out.hidden = true;
    const s = settings();
    if (!s.names.length) { say(t("choose")); return; }
    const upload = form.querySelector("input[name=population]:checked").value === "upload";
    let r;
    if (upload) {
      const f = byId("population-file").files[0];
      if (!f) { say(t("file")); return; }
      const fd = new FormData();
      fd.append("scenarios", s.names.join(","));
      fd.append("population", f);
      if (s.asOf) fd.append("as_of", s.asOf);
      if (s.layer) fd.append("layer", s.layer);
      r = await fetch("/api/v1/simulate/upload", { method: "POST", body: fd });
    } else {
      r = await fetch("/api/v1/simulate", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ scenarios: s.names, as_of: s.asOf, layer: s.layer, population: "sample" }),
      });
      history.replaceState(null, "", link(s));
    }
    if (!r.ok) { say(t("cannot_start", { problem: await problem(r) })); return; }
    const job = await r.json();
    bar.hidden = false; bar.value = 0;
    say(t("running"));
    poll(job.id, s);
  }

  async function poll(id, s) {
    const r = await fetch(`/api/v1/jobs/${id}`);
    if (!r.ok) { say(t("lost", { problem: await problem(r) })); return; }
    const j = await r.json();
    bar.value = j.progress;
    if (j.status === "done") { bar.value = 1; bar.hidden = true; say(t("done")); show(id, j.result.view, s); return; }
    if (j.status === "failed") { bar.hidden = true; say(t("failed", { problem: j.error || "?" })); return; }
    say(t("running_at", { percent: Math.round(j.progress * 100) }) + (j.message ? " — " + j.message : ""));
    setTimeout(() => poll(id, s), 400);
  }

  function fill(table, columns, rows) {
    const head = document.createElement("tr");
    for (const c of columns) { const th = document.createElement("th"); th.scope = "col"; th.textContent = c; head.appendChild(th); }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      for (const v of row) { const td = document.createElement("td"); td.textContent = String(v); tr.appendChild(td); }
      body.appendChild(tr);
    }
  }

  function list(ul, items) {
    ul.replaceChildren(...items.map((t) => { const li = document.createElement("li"); li.textContent = t; return li; }));
  }

  function show(id, v, s) {
    const pop = v.population;
    byId("counting").textContent = t("counting", {
      what: v.layer ? t("one_law", { law: v.layer_title }) : v.layer_title, rows: pop.rows, weight: pop.weight });
    const notices = v.scenarios.filter((x) => x.notice).map((x) => `${x.name}: ${x.notice}`);
    list(byId("notices"), notices);
    byId("notices").hidden = !notices.length;
    list(byId("changes"), v.changes.length ? v.changes
      : [t("two_or_more")]);
    fill(byId("summary"), v.summary_columns, v.summary);
    fill(byId("table"), v.columns, v.rows);
    const charts = byId("charts");
    charts.replaceChildren(...v.charts.map((c) => {
      const fig = document.createElement("figure");
      const img = document.createElement("img");
      img.src = c.src; img.alt = c.alt; img.className = "chart";
      const cap = document.createElement("figcaption"); cap.textContent = c.alt;
      fig.append(img, cap);
      return fig;
    }));
    byId("csv").href = `/api/v1/jobs/${id}/table.csv`;
    byId("report").href = `/api/v1/jobs/${id}/report.html`;
    byId("share").value = link(s);
    out.hidden = false;
    const h = byId("output-title");
    h.tabIndex = -1;
    h.focus();
  }

  function fromAddress() {
    const q = new URLSearchParams(location.search);
    const wanted = q.getAll("scenario");
    if (!wanted.length) return;
    const boxes = Array.from(form.querySelectorAll("input[name=scenario]"));
    const unknown = wanted.filter((n) => !boxes.some((b) => b.value === n));
    for (const b of boxes) b.checked = wanted.includes(b.value);
    const asOf = q.get("as_of");
    if (asOf) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) byId("as_of").value = asOf;
      else { say(t("bad_date", { date: asOf })); return; }
    }
    const layer = q.get("layer");
    if (layer) {
      const sel = byId("layer");
      if (Array.from(sel.options).some((o) => o.value === layer)) sel.value = layer;
      else { say(t("bad_layer", { layer })); return; }
    }
    if (unknown.length) { say(t("unknown", { names: unknown.join(", ") })); return; }
    start(null);
  }

  form.addEventListener("submit", start);
  byId("copy").addEventListener("click", async () => {
    const f = byId("share");
    f.select();
    try { await navigator.clipboard.writeText(f.value); say(t("copied")); } catch (e) { say(t("copy_by_hand")); }
  });
  fromAddress();
})();
