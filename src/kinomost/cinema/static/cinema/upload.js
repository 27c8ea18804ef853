// Studio upload of a master with its dubs and subtitles: each file is sliced into chunks and sent
// through the resumable upload API (/api/v1/cinema/uploads). The upload id of each file is kept in
// localStorage under the file's name, size and date, so after a reload or a lost connection the
// same file continues from the offset the server holds. When every file is complete the ingest is
// started and the browser goes to the asset's page.
//
// Every word shown comes from the template's data-msg-* / data-left-* attributes (translated
// there, with {placeholders}); numbers are formatted for the page's language (<html lang>).

const form = document.getElementById("upload-form");
const filesBox = document.getElementById("upload-files");
const errorBox = document.getElementById("upload-error");
const api = form.dataset.api;
const chunkBytes = Math.max(1, parseInt(form.dataset.chunkBytes, 10) || 8 * 1024 * 1024);
const msg = form.dataset;
const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
const locale = document.documentElement.lang || undefined;
const percentFormat = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

// A translated text with {name} placeholders filled in.
function fill(text, values) {
  return String(text || "").replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function formatPercent(percent) {
  return percentFormat.format(percent / 100);
}

class Refused extends Error {
  constructor(message, fromServer = true) { super(message); this.fromServer = fromServer; }
}

function storageKey(file) {
  return `kinomost-upload:${file.name}:${file.size}:${file.lastModified}`;
}

async function call(method, path, body, contentType = "application/json") {
  const response = await fetch(api + path, {
    method,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf, "Content-Type": contentType, Accept: "application/json" },
    body,
  });
  let data = {};
  try { data = await response.json(); } catch (e) { /* an empty or non-JSON answer */ }
  return { status: response.status, data };
}

function refusal(answer) {
  return new Refused(answer.data.message || fill(msg.msgHttp, { status: answer.status }));
}

function formatLeft(seconds) {
  if (!isFinite(seconds)) return "";
  if (seconds >= 3600) {
    return fill(msg.leftHours, { hours: Math.floor(seconds / 3600), minutes: String(Math.floor((seconds % 3600) / 60)).padStart(2, "0") });
  }
  if (seconds >= 60) return fill(msg.leftMinutes, { minutes: Math.round(seconds / 60) });
  return fill(msg.leftSeconds, { seconds: Math.max(1, Math.round(seconds)) });
}

function fileRow(file, label) {
  const row = document.createElement("div");
  row.className = "file";
  row.dataset.name = file.name;
  row.innerHTML = `<strong></strong> <span class="muted"></span><br>
    <progress class="meter" max="100" value="0"></progress> <span class="state"></span>`;
  row.querySelector("strong").textContent = file.name;
  row.querySelector(".muted").textContent = label;
  row.querySelector(".state").textContent = msg.msgWaiting;
  filesBox.appendChild(row);
  return row;
}

function show(row, offset, size, extra = "") {
  const percent = size ? (100 * offset) / size : 100;
  row.querySelector("progress.meter").value = percent;
  row.querySelector(".state").textContent = `${formatPercent(percent)}${extra ? " · " + extra : ""}`;
  row.dataset.percent = percent.toFixed(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function serverState(file) {
  const known = localStorage.getItem(storageKey(file));
  if (known) {
    const answer = await call("GET", `/uploads/${known}`);
    if (answer.status === 200 && answer.data.size === file.size) return answer.data;
    localStorage.removeItem(storageKey(file));
  }
  const answer = await call("POST", "/uploads", JSON.stringify({ filename: file.name, size: file.size }));
  if (answer.status !== 201) throw refusal(answer);
  localStorage.setItem(storageKey(file), answer.data.id);
  return answer.data;
}

async function upload(file, row) {
  let state = await serverState(file);
  let offset = state.offset;
  const resumedNote = offset > 0 ? fill(msg.msgResumed, { percent: formatPercent((100 * offset) / file.size) }) : "";
  if (resumedNote) row.dataset.resumedAt = String(offset);
  const started = performance.now();
  const startOffset = offset;
  let failures = 0;
  show(row, offset, file.size, resumedNote);
  while (offset < file.size) {
    const chunk = file.slice(offset, Math.min(offset + chunkBytes, file.size));
    let answer;
    try {
      answer = await call("PUT", `/uploads/${state.id}?offset=${offset}`, chunk, "application/octet-stream");
    } catch (networkError) {
      failures += 1;
      if (failures > 30) throw new Refused(msg.msgNetwork, false);
      row.querySelector(".state").textContent = msg.msgNetwork;
      row.classList.add("interrupted");
      await sleep(Math.min(10000, 1000 * failures));
      try {
        const now = await call("GET", `/uploads/${state.id}`);
        if (now.status === 200) offset = now.data.offset;
      } catch (stillOffline) { /* try the chunk again after the next pause */ }
      continue;
    }
    if (answer.status === 409 && answer.data.details) {
      offset = answer.data.details.offset;  // the server holds more (or less): continue from there
      continue;
    }
    if (answer.status !== 200) throw refusal(answer);
    failures = 0;
    row.classList.remove("interrupted");
    offset = answer.data.offset;
    const seconds = (performance.now() - started) / 1000;
    const rate = (offset - startOffset) / Math.max(seconds, 0.001);
    const left = rate > 0 ? formatLeft((file.size - offset) / rate) : "";
    show(row, offset, file.size, [resumedNote, left].filter(Boolean).join(" · "));
  }
  row.querySelector(".state").textContent = `${msg.msgDone} · ${formatPercent(100)}${resumedNote ? " · " + resumedNote : ""}`;
  row.classList.add("done");
  return state.id;
}

function chosenFiles() {
  const files = [{ kind: "master", language: "", file: form.querySelector("#master").files[0] }];
  for (const extra of form.querySelectorAll("p.extra")) {
    const file = extra.querySelector("input[type=file]").files[0];
    if (!file) continue;
    const language = extra.querySelector("input[list]").value.trim();
    if (!language) throw new Refused(msg.msgLanguage, false);
    files.push({ kind: extra.dataset.kind, language, file });
  }
  return files;
}

async function run() {
  errorBox.hidden = true;
  const work = form.querySelector("#work").value;
  if (!work || !form.querySelector("#master").files[0]) throw new Refused(msg.msgMissing, false);
  const files = chosenFiles();
  form.querySelector("#upload-start").disabled = true;
  filesBox.replaceChildren();
  for (const item of files) item.row = fileRow(item.file, form.dataset[`label${item.kind[0].toUpperCase()}${item.kind.slice(1)}`] + (item.language ? ` (${item.language})` : ""));
  for (const item of files) item.upload = await upload(item.file, item.row);
  const status = document.createElement("p");
  status.id = "ingest-state";
  status.textContent = msg.msgIngest;
  filesBox.appendChild(status);
  const pick = (kind) => files.filter((f) => f.kind === kind).map((f) => ({ language: f.language, upload: f.upload }));
  const answer = await call("POST", "/ingest", JSON.stringify({
    work_id: parseInt(work, 10),
    master: files[0].upload,
    audio: pick("audio"),
    subtitles: pick("subtitles"),
    platform: form.querySelector("#platform").value || null,
  }));
  if (answer.status !== 201) throw refusal(answer);
  for (const item of files) localStorage.removeItem(storageKey(item.file));
  window.location.assign(form.dataset.assetUrl.replace("00000000-0000-0000-0000-000000000000", answer.data.id));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await run();
  } catch (error) {
    errorBox.textContent = error instanceof Refused ? (error.fromServer ? `${msg.msgFailed} ${error.message}` : error.message) : fill(msg.msgUnexpected, { error: String(error) });
    errorBox.hidden = false;
    form.querySelector("#upload-start").disabled = false;
  }
});
