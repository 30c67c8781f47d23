// Upload: drag and drop (or choose) PDFs with their metadata. Each file gets a presigned S3 POST
// from the API (POST /uploads: the team and uploader are fixed by its signed policy), is posted to
// the bucket, and is followed through the pipeline by the contract id the pipeline gives it (see
// contractIds): received, text, extracted, or quarantined with the reason.
import { api, contractLink, el, failed, header, sendFile, status } from "./app.js";

const STEPS = ["uploaded", "received", "text", "extracted"];
const REACHED = { RECEIVED: 1, TEXT_PENDING: 1, TEXT_READY: 2, EXTRACTED: 3 };
const FINAL = new Set(["EXTRACTED", "QUARANTINED", "FAILED"]);
const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

async function sha256Hex(data) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The ids the pipeline may give these bytes uploaded by `team` under `key`, as pipeline/intake.py
// names them (the first 16 hex digits of a SHA-256): the team's own (of "<sha256>\0<team>", kept
// when another team holds a contract of the same bytes, which this team cannot see), the content's
// (of the bytes), and a bad copy's (of "<sha256>\0<key>", quarantined when its content's record
// keeps an earlier upload). Which one the pipeline takes depends on what other teams hold, so the
// page looks for all of them, in that order (team_contract_id looks at the team's own claim first).
export async function contractIds(sha256, team, key) {
  const named = async (text) => (await sha256Hex(new TextEncoder().encode(text))).slice(0, 16);
  return { own: await named(`${sha256}\0${team}`), content: sha256.slice(0, 16),
    quarantined: await named(`${sha256}\0${key}`) };
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

async function follow(row, ids) {
  const started = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    const found = await find(ids); // none yet: not ingested yet
    if (found) {
      const [id, contract] = found;
      const bad = contract.status === "QUARANTINED" || contract.status === "FAILED" ? contract.status : null;
      progress(row, bad ? 0 : REACHED[contract.status] ?? 0, bad);
      row.dataset.contract = id;
      row.dataset.status = contract.status;
      row.querySelector(".state").textContent = bad ? `${contract.status}: ${contract.status_reason || ""}`
        : contract.status;
      row.querySelector(".contract").replaceChildren(contractLink(id, contract.title || id));
      if (FINAL.has(contract.status)) return contract.status;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  row.querySelector(".state").textContent = "still processing: check the Needs attention page";
  return null;
}

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

// the first of `ids` the team has a contract under, as [id, contract], or null (none yet, or
// another team's, which this team cannot see). One GET /contracts?ids=, which leaves those out: a
// GET /contracts/{id} of each answered 404 until the pipeline made it, an error in the browser's
// console every second of the wait.
async function find(ids) {
  const { items } = await api(`/contracts?ids=${ids.join(",")}`);
  const byId = new Map(items.map((contract) => [contract.id, contract]));
  const id = ids.find((each) => byId.has(each));
  return id ? [id, byId.get(id)] : null;
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
    // asked first (POST /uploads creates nothing): a file over max_bytes is refused before it is
    // read into memory to be hashed. The bucket's policy would refuse it, and its refusal is not
    // readable here (no-cors): without this check the row would wait for a contract that never comes
    const post = await api("/uploads", { method: "POST", json: { file_name: file.name, ...metadata() } });
    if (post.max_bytes && file.size > post.max_bytes) {
      return refuse(row, "REFUSED", `not uploaded: ${megabytes(file.size)} (${file.size.toLocaleString("en-US")} bytes) `
        + `is over the ${megabytes(post.max_bytes)} (${post.max_bytes.toLocaleString("en-US")} bytes) a contract PDF may be`);
    }
    const ids = await contractIds(await sha256Hex(await file.arrayBuffer()), post.fields["x-amz-meta-team"], post.key);
    // the same bytes again: the pipeline would do nothing new, so say what the team already has
    const before = await find([ids.own, ids.content]);
    if (before) {
      const [id, contract] = before;
      row.dataset.contract = id;
      row.querySelector(".contract").replaceChildren(contractLink(id, contract.title || contract.file_name || id));
      return refuse(row, "ALREADY_UPLOADED", `not uploaded again: already uploaded as ${contract.file_name}, `
        + `received ${contract.received_at}, now ${contract.status}`);
    }
    await sendFile(post, file);
    progress(row, 0);
    row.querySelector(".state").textContent = "uploaded";
    return await follow(row, [ids.own, ids.content, ids.quarantined]);
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
