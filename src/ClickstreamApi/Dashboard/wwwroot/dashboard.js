// ClickstreamApi live dashboard: plain JavaScript against the public API, no dependencies.
// Everything that comes from events or the API is put into the page with textContent or DOM
// properties, never as markup: a page path like <img src=x onerror=...> is shown as text.
"use strict";

(() => {
  const API_KEY_STORAGE = "clickstream.apiKey";
  const STATS_INTERVAL_MS = 1000;
  const CHART_SECONDS = 120;
  const TAIL_ROWS = 60;
  const TAIL_RENDER_MS = 250;

  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  const precise = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const fmt = (value) => (value === null || value === undefined || Number.isNaN(value) ? "–" : number.format(value));
  const fmtInt = (value) => (value === null || value === undefined ? "–" : integer.format(value));

  // ---- elements ------------------------------------------------------------------------------

  /** Creates an element with text content (never markup) and optional class. */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(...cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) tr.append(cell instanceof Node ? cell : el("td", cell));
    return tr;
  }

  function setPill(id, text, state) {
    const pill = $(id);
    pill.textContent = text;
    pill.classList.toggle("ok", state === "ok");
    pill.classList.toggle("bad", state === "bad");
  }

  // ---- messages and API calls ----------------------------------------------------------------

  function showMessage(text, kind) {
    const box = $("message");
    box.textContent = text;
    box.className = `message ${kind}`;
    box.hidden = false;
  }

  /** Turns a problem+json answer into sentences: title, detail, then each field's messages. */
  function describeProblem(status, problem) {
    const lines = [];
    if (problem && typeof problem === "object") {
      if (problem.title) lines.push(String(problem.title));
      if (problem.detail && problem.detail !== problem.title) lines.push(String(problem.detail));
      if (problem.errors && typeof problem.errors === "object") {
        for (const [field, messages] of Object.entries(problem.errors)) {
          const list = Array.isArray(messages) ? messages : [messages];
          lines.push(`${field}: ${list.join(" ")}`);
        }
      }
    }
    if (status === 401 || status === 403) {
      lines.push($("api-key").value ? "The API key was refused; check it." : "This service requires an API key: enter it in the API key field.");
    }
    if (lines.length === 0) lines.push(`The service answered ${status}.`);
    return lines.join("\n");
  }

  function apiKeyHeaders() {
    const key = $("api-key").value.trim();
    return key ? { "X-Api-Key": key } : {};
  }

  /** Sends a state-changing request; returns the JSON answer, or null after showing the problem. */
  async function send(method, path, body) {
    const headers = { Accept: "application/json, application/problem+json", ...apiKeyHeaders() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      showMessage(`Cannot reach the service (${error.message}).`, "error");
      return null;
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (!response.ok) {
      showMessage(describeProblem(response.status, payload), "error");
      return null;
    }
    return payload;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let payload = null;
      try { payload = await response.json(); } catch { payload = null; }
      throw new Error(describeProblem(response.status, payload));
    }
    return response.json();
  }

  // ---- controls -------------------------------------------------------------------------------

  const optionalNumber = (id) => {
    const text = $(id).value.trim();
    return text === "" ? undefined : Number(text);
  };

  function showProfileFields() {
    const profile = $("profile").value;
    $("burst-fields").hidden = profile !== "burst";
    $("ramp-fields").hidden = profile !== "ramp";
    $("daily-fields").hidden = profile !== "daily";
  }

  let rateEdited = false;

  function wireControls() {
    const keyInput = $("api-key");
    keyInput.value = sessionStorage.getItem(API_KEY_STORAGE) ?? "";
    keyInput.addEventListener("input", () => {
      const key = keyInput.value.trim();
      if (key) sessionStorage.setItem(API_KEY_STORAGE, key);
      else sessionStorage.removeItem(API_KEY_STORAGE);
    });

    $("start").addEventListener("click", async () => {
      if (fleet.enabled) return sendToFleet("POST", "start");
      const status = await send("POST", "api/generator/start");
      if (status) {
        showMessage(`Generator running (run ${status.runId}).`, "info");
        renderGenerator(status);
      }
    });
    $("stop").addEventListener("click", async () => {
      if (fleet.enabled) return sendToFleet("POST", "stop");
      const status = await send("POST", "api/generator/stop");
      if (status) {
        showMessage("Generator stopped.", "info");
        renderGenerator(status);
      }
    });

    // Once the user touches the rate form, the status poll stops overwriting it until it is applied.
    $("rate-form").addEventListener("input", () => { rateEdited = true; });
    $("profile").addEventListener("change", () => { rateEdited = true; showProfileFields(); });
    $("rate-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const rateText = $("rate").value.trim();
      const body = {
        eventsPerSecond: rateText === "" ? null : Number(rateText),
        profile: $("profile").value,
      };
      if (body.profile === "burst") {
        body.burstSeconds = optionalNumber("burst-seconds");
        body.pauseSeconds = optionalNumber("pause-seconds");
      } else if (body.profile === "ramp") {
        body.rampFromEventsPerSecond = optionalNumber("ramp-from");
        body.rampSeconds = optionalNumber("ramp-seconds");
      } else if (body.profile === "daily") {
        body.peakHour = optionalNumber("peak-hour");
        body.troughHour = optionalNumber("trough-hour");
        body.peakToTroughRatio = optionalNumber("peak-ratio");
        body.weekendFactor = optionalNumber("weekend-factor");
      }
      if (fleet.enabled) {
        if (await sendToFleet("PUT", "rate", body)) rateEdited = false;
        return;
      }
      const status = await send("PUT", "api/generator/rate", body);
      if (status) {
        rateEdited = false;
        showMessage(`Rate set to ${fmt(status.profile.eventsPerSecond)} events/s (${status.profile.name}).`, "info");
        renderGenerator(status);
      }
    });

    $("faults-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {
        malformed: optionalNumber("fault-malformed"),
        duplicate: optionalNumber("fault-duplicate"),
        late: optionalNumber("fault-late"),
      };
      if (fleet.enabled) return sendToFleet("PUT", "faults", body);
      const status = await send("PUT", "api/generator/faults", body);
      if (status) {
        const f = status.faults;
        showMessage(`Faults set: malformed ${f.malformed}, duplicate ${f.duplicate}, late ${f.late}.`, "info");
        renderGenerator(status);
      }
    });

    $("tail-form").addEventListener("submit", (event) => {
      event.preventDefault();
      openTail();
    });
    $("pause-tail").addEventListener("click", () => {
      tail.paused = !tail.paused;
      $("pause-tail").setAttribute("aria-pressed", String(tail.paused));
      $("pause-tail").textContent = tail.paused ? "Resume" : "Pause";
    });
    showProfileFields();
  }

  // ---- generator ------------------------------------------------------------------------------

  let lastGenerator = null;

  function renderGenerator(status) {
    lastGenerator = status;
    setPill("generator-state", status.running ? `generator running · ${fmt(status.profile.eventsPerSecond)}/s · ${status.format}` : "generator stopped", status.running ? "ok" : null);
    $("run-info").textContent = status.runId
      ? `run ${status.runId} · ${status.format}${status.schemaId != null ? ` (schema ${status.schemaId}, ${status.subject})` : ""} · ${status.profile.name} · produced ${fmtInt(status.produced)}, delivered ${fmtInt(status.delivered)}, failed ${fmtInt(status.failed)}, queued ${fmtInt(status.queued)}`
      : "no run yet";
    if (status.schemaRegistryProblem) $("run-info").textContent += ` · ${status.schemaRegistryProblem}`;
    renderClock(status.clock);
    if (!rateEdited && document.activeElement !== $("rate")) {
      $("rate").value = String(status.profile.eventsPerSecond);
      if (document.activeElement !== $("profile")) {
        $("profile").value = status.profile.name;
        showProfileFields();
      }
    }
    // Why events wait in the producer's queue (Kafka unreachable, topic missing), in the service's words.
    setPill("kafka-state", status.waitingForKafka ? `kafka: ${status.waitingForKafka}` : "kafka ok", status.waitingForKafka ? "bad" : "ok");
    $("produced-rate").textContent = fmt(status.achieved.lastSecond);
    $("produced-total").textContent = `${fmtInt(status.produced)} produced`;
  }

  // The run's simulated clock, shown when it is not the wall clock (more than two seconds apart).
  function renderClock(clock) {
    const pill = $("clock-state");
    const now = clock ? Date.parse(clock.now) : NaN;
    if (!clock || !Number.isFinite(now) || Math.abs(now - Date.now()) < 2000) {
      pill.hidden = true;
      return;
    }
    const pace = clock.asFastAsPossible ? "backfill" : `${fmt(clock.speed)}×`;
    pill.hidden = false;
    pill.textContent = `simulated ${new Date(now).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")} · ${pace}`;
    pill.dataset.now = clock.now;
  }

  // ---- stats ----------------------------------------------------------------------------------

  function barRows(tbody, entries, valueFormat) {
    const max = Math.max(1, ...entries.map((e) => e.value));
    const rows = entries.map((entry) => {
      const fill = el("div", null, "bar-fill");
      fill.style.width = `${(100 * entry.value) / max}%`;
      const bar = el("td", null, "bar");
      bar.append(fill);
      const name = el("td", entry.name, "name");
      name.title = entry.name;
      return row(name, bar, el("td", valueFormat(entry.value), "value"));
    });
    tbody.replaceChildren(...rows);
  }

  function numberRows(tbody, entries) {
    tbody.replaceChildren(...entries.map(([name, value, className]) => row(el("td", name), el("td", value, className))));
  }

  function renderStats(stats) {
    const overall = stats.rates.overall;
    $("consumed-rate").textContent = fmt(overall.last1s);
    $("consumed-total").textContent = `${fmtInt(stats.consumer.consumed)} consumed`;
    $("active-users").textContent = fmtInt(stats.activeUsers.last1m);
    $("active-users-5m").textContent = `${fmtInt(stats.activeUsers.last5m)} in 5 min (±${fmt(stats.activeUsers.standardError * 100)}%)`;

    const latency = stats.latency.last60s.count > 0 ? stats.latency.last60s : stats.latency.sinceStart;
    $("latency-main").textContent = latency.count > 0 ? `${fmt(latency.p50)} / ${fmt(latency.p99)} ms` : "–";
    $("latency-sub").textContent = latency.count > 0 ? `p99.9 ${fmt(latency.p999)} ms · max ${fmt(latency.max)} ms` : "no events yet";
    numberRows($("latency"), [
      ["p50", fmt(stats.latency.last60s.p50)],
      ["p90", fmt(stats.latency.last60s.p90)],
      ["p99", fmt(stats.latency.last60s.p99)],
      ["p99.9", fmt(stats.latency.last60s.p999)],
      ["max", fmt(stats.latency.last60s.max)],
      ["mean", fmt(stats.latency.last60s.mean)],
      ["events (60 s)", fmtInt(stats.latency.last60s.count)],
      ["p99 since start", fmt(stats.latency.sinceStart.p99)],
    ]);

    $("total-lag").textContent = fmtInt(stats.partitions.totalLag);
    $("assigned").textContent = `${stats.partitions.assigned} of ${stats.partitions.partitions.length} partitions assigned`;
    $("partitions").replaceChildren(...stats.partitions.partitions.map((p) => row(
      el("td", p.assigned ? String(p.partition) : `${p.partition} (not assigned)`),
      el("td", fmtInt(p.position)),
      el("td", fmtInt(p.highWatermark)),
      el("td", fmtInt(p.lag), p.lag > 1000 ? "warn" : ""))));

    barRows($("top-pages"), stats.topPages.last1m.top.map((p) => ({ name: p.page, value: p.count })), fmtInt);
    const types = Object.entries(stats.rates.byType)
      .map(([name, rate]) => ({ name, value: rate.last10s }))
      .sort((a, b) => b.value - a.value);
    barRows($("event-types"), types, fmt);

    const integrity = stats.integrity;
    const runs = integrity.runs ?? [];
    const missing = runs.reduce((sum, r) => sum + r.missing, 0);
    const duplicates = runs.reduce((sum, r) => sum + r.duplicates, 0);
    const beforeJoin = runs.reduce((sum, r) => sum + (r.beforeJoin ?? 0), 0);
    const flag = (value) => (value > 0 ? "bad" : "");
    numberRows($("integrity"), [
      ["missing (current runs)", fmtInt(missing), flag(missing)],
      ["before this consumer joined", fmtInt(beforeJoin), ""],
      ["duplicates", fmtInt(duplicates), flag(duplicates)],
      ["rejected messages", fmtInt(integrity.rejected), flag(integrity.rejected)],
      ["skipped by broker eviction", fmtInt(integrity.skippedMessages), flag(integrity.skippedMessages)],
      ["offset resets", fmtInt(integrity.offsetResets), flag(integrity.offsetResets)],
      ["delivery failures", fmtInt(lastGenerator?.failed ?? 0), flag(lastGenerator?.failed ?? 0)],
      ["ring buffer evicted", fmtInt(stats.buffer.evicted), ""],
      ["live-tail drops", fmtInt(stats.streams.dropped), flag(stats.streams.dropped)],
      ["late windows (too late)", fmtInt(stats.windows.tooLate), flag(stats.windows.tooLate)],
    ]);

    chart.push(overall.last1s, lastGenerator ? lastGenerator.achieved.lastSecond : 0);
  }

  async function pollStats() {
    try {
      const [generator, stats, fleetStatus] = await Promise.all([getJson("api/generator"), getJson("api/stats?top=8&windows=1"), getJson("api/fleet")]);
      renderGenerator(generator);
      renderStats(stats);
      renderFleet(fleetStatus);
      setPill("stats-state", "stats live", "ok");
    } catch (error) {
      setPill("stats-state", "stats unavailable", "bad");
      $("stats-state").title = error.message;
    } finally {
      setTimeout(pollStats, STATS_INTERVAL_MS);
    }
  }

  // ---- fleet ----------------------------------------------------------------------------------

  // In fleet mode (GET api/fleet says enabled) the controls publish fleet commands, and the card
  // shows every member's latest snapshot.
  const fleet = { enabled: false };

  async function sendToFleet(method, action, body) {
    const command = await send(method, `api/fleet/${action}`, body);
    if (command) {
      showMessage(`Sent to the fleet: ${command.kind} (command ${command.id}); every member applies it.`, "info");
    }
    return command;
  }

  function renderFleet(status) {
    fleet.enabled = status.enabled;
    $("fleet-card").hidden = !status.enabled;
    $("fleet-state").hidden = !status.enabled;
    if (!status.enabled) return;
    const state = status.state;
    setPill("fleet-state", `fleet ${status.name} · ${status.totals.members} member${status.totals.members === 1 ? "" : "s"} · ${state?.running ? "running" : "stopped"} · ${fmt(state?.rate.eventsPerSecond)}/s`, status.problem ? "bad" : "ok");
    const run = status.run;
    $("fleet-summary").textContent = `${status.member ? `this is ${status.member} · ` : ""}${fmtInt(status.totals.shardsOwned)} of ${fmtInt(status.shardCount)} shards owned · target ${fmt(status.totals.targetEventsPerSecond)}/s, achieved ${fmt(status.totals.achievedEventsPerSecond)}/s`
      + (run ? ` · fleet run ${run.fleetRunId} (${run.seenBy}): received ${fmtInt(run.received)}, missing ${run.missing === null ? "not proved" : fmtInt(run.missing)}, duplicates ${fmtInt(run.duplicates)}, lost in flight ${run.lostInFlight === null ? "not proved" : fmtInt(run.lostInFlight)}` : "")
      + (status.problem ? ` · ${status.problem}` : "");
    const a = status.analytics;
    $("fleet-analytics").textContent = a
      ? `Merged over ${a.members.length} member${a.members.length === 1 ? "" : "s"} of consumer group ${a.consumerGroup} (${fmtInt(a.partitionsCovered)} of ${fmtInt(a.topicPartitions)} partitions): `
        + `${fmtInt(a.consumed)} consumed, ${fmt(a.rates.overall.last10s)}/s over 10 s · active users ${fmtInt(a.activeUsers.last1m)} (1 min), ${fmtInt(a.activeUsers.last5m)} (5 min) · `
        + `latency p50 ${fmt(a.latency.last60s.p50)} ms, p99 ${fmt(a.latency.last60s.p99)} ms (last minute) · `
        + `top pages (5 min): ${a.topPages.last5m.top.slice(0, 3).map((p) => `${p.page} ${fmtInt(p.count)}`).join(", ") || "–"}`
        + (a.topPages.last5m.maxUndercount > 0 ? ` (each at most ${fmtInt(a.topPages.last5m.maxUndercount)} short)` : "")
        + (a.membersInOtherGroups > 0 ? ` · ${fmtInt(a.membersInOtherGroups)} member(s) read the whole stream in groups of their own (not added in)` : "")
      : "No member's consumer has published what it saw yet.";
    const lastCommand = state?.lastCommandId;
    const rows = [...status.members.map((m) => [m, "live"]), ...status.lostMembers.map((m) => [m, "lost"])].map(([m, kind]) => {
      const tr = row(
        el("td", m.member),
        el("td", kind === "lost" ? "lost" : (m.running ? "running" : "stopped"), kind === "lost" ? "bad" : undefined),
        el("td", fmtInt(m.shards.length)),
        el("td", fmt(m.targetEventsPerSecond)),
        el("td", fmt(m.achievedEventsPerSecond)),
        el("td", fmtInt(m.runEvents)),
        el("td", fmtInt(m.delivered)),
        el("td", fmtInt(m.queued)),
        el("td", m.consumption ? `${fmtInt(m.consumption.partitions.length)} of ${fmtInt(m.consumption.topicPartitions)}` : "–"),
        el("td", m.lastCommandId === lastCommand ? "applied" : "pending"));
      tr.dataset.member = m.member;
      return tr;
    });
    $("fleet-members").replaceChildren(...rows);
  }

  // ---- chart ----------------------------------------------------------------------------------

  const chart = {
    samples: [],
    push(consumed, produced) {
      this.samples.push({ at: Date.now(), consumed: consumed ?? 0, produced: produced ?? 0 });
      while (this.samples.length > CHART_SECONDS) this.samples.shift();
      this.draw();
    },
    draw() {
      const canvas = $("rate-chart");
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);

      const style = getComputedStyle(document.documentElement);
      const colors = {
        grid: style.getPropertyValue("--line").trim(),
        text: style.getPropertyValue("--muted").trim(),
        consumed: style.getPropertyValue("--accent").trim(),
        produced: style.getPropertyValue("--accent2").trim(),
      };
      const left = 56, right = 12, top = 10, bottom = 24;
      const plotW = Math.max(10, width - left - right);
      const plotH = Math.max(10, height - top - bottom);
      const max = niceMax(Math.max(1, ...this.samples.map((s) => Math.max(s.consumed, s.produced))));

      ctx.font = "11px system-ui, sans-serif";
      ctx.lineWidth = 1;
      ctx.textBaseline = "middle";
      for (let i = 0; i <= 4; i++) {
        const y = top + plotH - (plotH * i) / 4;
        ctx.strokeStyle = colors.grid;
        ctx.beginPath();
        ctx.moveTo(left, Math.round(y) + 0.5);
        ctx.lineTo(left + plotW, Math.round(y) + 0.5);
        ctx.stroke();
        ctx.fillStyle = colors.text;
        ctx.textAlign = "right";
        ctx.fillText(compact((max * i) / 4), left - 6, y);
      }
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (let s = 0; s <= CHART_SECONDS; s += 30) {
        const x = left + plotW - (plotW * s) / CHART_SECONDS;
        ctx.fillText(s === 0 ? "now" : `-${s}s`, x, top + plotH + 6);
      }

      const now = Date.now();
      const line = (key, color) => {
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.lineJoin = "round";
        ctx.beginPath();
        let started = false;
        for (const sample of this.samples) {
          const age = (now - sample.at) / 1000;
          const x = left + plotW - (plotW * age) / CHART_SECONDS;
          const y = top + plotH - (plotH * sample[key]) / max;
          if (!started) { ctx.moveTo(x, y); started = true; } else { ctx.lineTo(x, y); }
        }
        ctx.stroke();
      };
      line("produced", colors.produced);
      line("consumed", colors.consumed);

      // For tests and curious people: how many samples are drawn and the newest value.
      canvas.dataset.samples = String(this.samples.length);
      const newest = this.samples[this.samples.length - 1];
      canvas.dataset.lastConsumed = newest ? String(newest.consumed) : "";
    },
  };

  function niceMax(value) {
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (value <= step * magnitude) return step * magnitude;
    }
    return 10 * magnitude;
  }

  function compact(value) {
    if (value >= 1e6) return `${number.format(value / 1e6)}M`;
    if (value >= 1e3) return `${number.format(value / 1e3)}k`;
    return value < 10 ? precise.format(value) : number.format(value);
  }

  // ---- live tail ------------------------------------------------------------------------------

  const tail = { source: null, pending: [], received: 0, dropped: 0, paused: false };

  function openTail() {
    if (tail.source) tail.source.close();
    const query = new URLSearchParams();
    const user = $("filter-user").value.trim();
    const page = $("filter-page").value.trim();
    const type = $("filter-type").value;
    if (user) query.set("userId", user);
    if (page) query.set("page", page);
    if (type) query.set("eventType", type);
    tail.pending = [];
    $("tail").replaceChildren();
    setPill("stream-state", "stream connecting", null);

    const url = `api/events/stream${query.size ? `?${query}` : ""}`;
    const source = new EventSource(url);
    tail.source = source;
    source.addEventListener("open", () => setPill("stream-state", "stream live", "ok"));
    source.addEventListener("error", () => {
      // EventSource reconnects by itself (resuming with Last-Event-ID) unless the server refused it.
      setPill("stream-state", source.readyState === EventSource.CLOSED ? "stream closed" : "stream reconnecting", "bad");
      if (source.readyState === EventSource.CLOSED) checkStreamProblem(url);
    });
    source.addEventListener("click", (message) => {
      tail.received++;
      if (tail.paused) return;
      try {
        tail.pending.push(JSON.parse(message.data));
      } catch {
        return;
      }
      if (tail.pending.length > TAIL_ROWS) tail.pending.splice(0, tail.pending.length - TAIL_ROWS);
    });
    source.addEventListener("dropped", (message) => {
      try {
        const info = JSON.parse(message.data);
        tail.dropped = info.totalDropped ?? tail.dropped + (info.dropped ?? 0);
        tail.pending.push({ notice: `${fmtInt(info.dropped)} events skipped: this tab fell behind the stream` });
      } catch {
        // ignore a malformed notice
      }
    });
  }

  /** A closed stream was refused (503 at the client limit, 400 for a bad filter): say why. */
  async function checkStreamProblem(url) {
    try {
      const response = await fetch(url, { headers: { Accept: "application/problem+json" } });
      if (!response.ok) {
        let payload = null;
        try { payload = await response.json(); } catch { payload = null; }
        showMessage(`Live tail: ${describeProblem(response.status, payload)}`, "error");
      } else {
        response.body?.cancel();
      }
    } catch {
      // the service is unreachable; the stats pill says so already
    }
  }

  function renderTail() {
    $("tail-count").textContent = `${fmtInt(tail.received)} received${tail.dropped ? `, ${fmtInt(tail.dropped)} dropped` : ""}${tail.paused ? " · paused" : ""}`;
    if (tail.pending.length === 0) return;
    const body = $("tail");
    const now = Date.now();
    const rows = [];
    for (const e of tail.pending) {
      if (e.notice) {
        const td = el("td", e.notice);
        td.colSpan = 9;
        const tr = row(td);
        tr.className = "notice";
        rows.push(tr);
        continue;
      }
      const occurred = new Date(e.occurredAt);
      const page = el("td", e.page, "page");
      page.title = e.page ?? "";
      const tr = row(
        el("td", Number.isNaN(occurred.getTime()) ? String(e.occurredAt) : occurred.toLocaleTimeString("en-GB", { hour12: false })),
        el("td", e.userId),
        el("td", e.eventType),
        page,
        el("td", e.country ?? ""),
        el("td", e.device ?? ""),
        el("td", `${e.partition}/${e.offset}`),
        el("td", e.schemaId != null ? `${e.format} #${e.schemaId}` : (e.format ?? "json"), "format"),
        el("td", Number.isNaN(occurred.getTime()) ? "" : `${fmtInt(Math.max(0, now - occurred.getTime()))} ms`));
      tr.className = "fresh";
      tr.dataset.eventId = e.eventId ?? "";
      rows.push(tr);
    }
    tail.pending = [];
    rows.reverse();
    body.prepend(...rows);
    while (body.rows.length > TAIL_ROWS) body.deleteRow(body.rows.length - 1);
  }

  // ---- start ----------------------------------------------------------------------------------

  wireControls();
  openTail();
  pollStats();
  setInterval(renderTail, TAIL_RENDER_MS);
  window.addEventListener("resize", () => chart.draw());
})();
