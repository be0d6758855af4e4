// Reform lab: start a simulation job, poll its progress, show the comparison table.
(function () {
  "use strict";
  const form = document.getElementById("lab");
  const bar = document.getElementById("progress");
  const text = document.getElementById("status-text");
  const out = document.getElementById("output");

  function say(msg) { text.textContent = msg; }

  async function problem(r) {
    try { const j = await r.json(); return j.detail || r.statusText; } catch (e) { return r.statusText; }
  }

  async function start(ev) {
    ev.preventDefault();
    out.hidden = true;
    const names = Array.from(form.querySelectorAll("input[name=scenario]:checked")).map((i) => i.value);
    if (!names.length) { say("Choose at least one scenario."); return; }
    const asOf = document.getElementById("as_of").value || null;
    const upload = form.querySelector("input[name=population]:checked").value === "upload";
    let r;
    if (upload) {
      const f = document.getElementById("population-file").files[0];
      if (!f) { say("Choose a Parquet, CSV or JSON Lines (.jsonl) file."); return; }
      const fd = new FormData();
      fd.append("scenarios", names.join(","));
      fd.append("population", f);
      if (asOf) fd.append("as_of", asOf);
      r = await fetch("/api/v1/simulate/upload", { method: "POST", body: fd });
    } else {
      r = await fetch("/api/v1/simulate", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          scenarios: names, as_of: asOf, population: "sample",
          sample_rows: parseInt(document.getElementById("sample_rows").value, 10) || null,
        }),
      });
    }
    if (!r.ok) { say("Could not start: " + (await problem(r))); return; }
    const job = await r.json();
    bar.hidden = false; bar.value = 0;
    say("Running…");
    poll(job.id);
  }

  async function poll(id) {
    const r = await fetch(`/api/v1/jobs/${id}`);
    if (!r.ok) { say("Lost the job: " + (await problem(r))); return; }
    const j = await r.json();
    bar.value = j.progress;
    if (j.status === "done") { bar.value = 1; say("Done."); show(id, j.result); return; }
    if (j.status === "failed") { say("The simulation failed: " + (j.error || "unknown error")); return; }
    say(`Running… ${Math.round(j.progress * 100)}%${j.message ? " — " + j.message : ""}`);
    setTimeout(() => poll(id), 400);
  }

  function show(id, res) {
    const table = document.getElementById("table");
    const head = document.createElement("tr");
    for (const c of res.columns) { const th = document.createElement("th"); th.scope = "col"; th.textContent = c; head.appendChild(th); }
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    // Counts below the suppression threshold arrive as null: shown as "<10", never as a figure.
    const sup = res.summary && res.summary.suppression;
    const small = sup && sup.applied ? "<" + sup.threshold : "";
    for (const row of res.rows) {
      const tr = document.createElement("tr");
      for (const v of row) { const td = document.createElement("td"); td.textContent = v === null ? small : String(v); tr.appendChild(td); }
      body.appendChild(tr);
    }
    document.getElementById("csv").href = `/api/v1/jobs/${id}/table.csv`;
    out.hidden = false;
    out.querySelector("h2").tabIndex = -1;
    out.querySelector("h2").focus();
  }

  form.addEventListener("submit", start);
})();
