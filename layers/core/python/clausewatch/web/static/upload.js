// Upload: drag and drop (or choose) PDFs with their metadata. Each file gets a presigned S3 POST
// from the API (POST /uploads: the team and uploader are fixed by its signed policy), is posted to
// the bucket, and is followed through the pipeline by its contract id (the first 16 hex digits of
// its SHA-256, as the pipeline names it): received, text, extracted, or quarantined with the reason.
import { ApiError, api, contractLink, el, failed, header, status } from "./app.js";

const STEPS = ["uploaded", "received", "text", "extracted"];
const REACHED = { RECEIVED: 1, TEXT_PENDING: 1, TEXT_READY: 2, EXTRACTED: 3 };
const FINAL = new Set(["EXTRACTED", "QUARANTINED", "FAILED"]);
const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

async function contractId(file) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

function metadata() {
  const value = (id) => document.getElementById(id).value.trim() || undefined;
  return { owner: value("meta-owner"), counterparty: value("meta-counterparty"), contract_type: value("meta-type"),
    time_zone: value("meta-tz"), jurisdiction: value("meta-jurisdiction") };
}

function progress(row, reached, bad) {
  row.querySelector(".steps").replaceChildren(...STEPS.map((step, index) =>
    el("li", { class: index <= reached ? "reached" : null }, index ? `→ ${step}` : step)),
  ...(bad ? [el("li", { class: "bad" }, `→ ${bad.toLowerCase()}`)] : []));
}

async function follow(row, id) {
  const started = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    try {
      const contract = await api(`/contracts/${id}`);
      const bad = contract.status === "QUARANTINED" || contract.status === "FAILED" ? contract.status : null;
      progress(row, bad ? 0 : REACHED[contract.status] ?? 0, bad);
      row.dataset.status = contract.status;
      row.querySelector(".state").textContent = bad ? `${contract.status}: ${contract.status_reason || ""}`
        : contract.status;
      row.querySelector(".contract").replaceChildren(contractLink(id, contract.title || id));
      if (FINAL.has(contract.status)) return contract.status;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // not ingested yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  row.querySelector(".state").textContent = "still processing: check the Needs attention page";
  return null;
}

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

// the contract the team already has under this file's id (the same bytes uploaded before), or null
async function existing(id) {
  try {
    return await api(`/contracts/${id}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// a file that will not be sent, and why (the row says so and ends there)
function refuse(row, state, text) {
  row.dataset.status = state;
  row.querySelector(".state").textContent = text;
  return state;
}

async function upload(file) {
  const row = el("tr", { dataset: { file: file.name } }, el("td", {}, file.name), el("td", { class: "contract" }, "-"),
    el("td", {}, el("ol", { class: "steps" })), el("td", { class: "state" }, "uploading"));
  document.querySelector("#uploads tbody").append(row);
  progress(row, -1);
  try {
    if (file.size === 0) return refuse(row, "REFUSED", "not uploaded: the file is empty (0 bytes)");
    const id = await contractId(file);
    row.dataset.contract = id;
    // the same bytes again: the pipeline would do nothing new, so say what the team already has
    const before = await existing(id);
    if (before) {
      row.querySelector(".contract").replaceChildren(contractLink(id, before.title || before.file_name || id));
      return refuse(row, "ALREADY_UPLOADED", `not uploaded again: already uploaded as ${before.file_name}, `
        + `received ${before.received_at}, now ${before.status}`);
    }
    const post = await api("/uploads", { method: "POST", json: { file_name: file.name, ...metadata() } });
    // the bucket's policy refuses a larger file, and its refusal is not readable here (no-cors):
    // without this check the row would wait for a contract that never comes
    if (post.max_bytes && file.size > post.max_bytes) {
      return refuse(row, "REFUSED", `not uploaded: ${megabytes(file.size)} (${file.size.toLocaleString("en-US")} bytes) `
        + `is over the ${megabytes(post.max_bytes)} (${post.max_bytes.toLocaleString("en-US")} bytes) a contract PDF may be`);
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append("file", file); // last, as S3 requires
    // the bucket is another origin: its answer is not readable here (no-cors); the pipeline's
    // record of the contract, read through the API, is what tells how the upload went
    await fetch(post.url, { method: "POST", body: form, mode: "no-cors" });
    progress(row, 0);
    row.querySelector(".state").textContent = "uploaded";
    return await follow(row, id);
  } catch (error) {
    row.dataset.status = "ERROR";
    row.querySelector(".state").textContent = `failed: ${error.message || error}`;
    failed(error);
    return "ERROR";
  }
}

async function send(files) {
  const pdfs = [...files].filter((f) => f.type === "application/pdf" || f.name.toLowerCase().endsWith(".pdf"));
  const others = [...files].filter((f) => !pdfs.includes(f)).map((f) => f.name);
  const left = others.length ? `${others.join(", ")}: not a PDF, left out. ` : "";
  status(`${left}Uploading ${pdfs.length} file(s) ...`, others.length ? "error" : "info");
  const ends = await Promise.all(pdfs.map(upload));
  const count = (state) => ends.filter((e) => e === state).length;
  const said = [[count("EXTRACTED"), "extracted"], [count("QUARANTINED") + count("FAILED"), "quarantined or failed (see Needs attention)"],
    [count("ALREADY_UPLOADED"), "already uploaded"], [count("REFUSED") + count("ERROR"), "not uploaded"],
    [count(null), "still processing"]].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
  if (pdfs.length) status(`${left}${said.join(", ")}: see the table.`, others.length || count("REFUSED") || count("ERROR") ? "error" : "info");
  document.body.dataset.uploaded = String(Number(document.body.dataset.uploaded || 0) + pdfs.length);
}

header("upload.html");
const zone = document.getElementById("dropzone");
const input = document.getElementById("files");
zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
zone.addEventListener("dragleave", () => zone.classList.remove("over"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("over");
  send(event.dataTransfer.files);
});
document.getElementById("upload-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.files.length) send(input.files).then(() => { input.value = ""; });
  else status("Choose or drop at least one PDF.", "error");
});
document.body.dataset.loaded = "upload";
