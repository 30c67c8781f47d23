// Shared by every page: the API client (same origin, the caller's auth), DOM helpers, the header.
// Locally `clausewatch serve` signs the browser in with an HttpOnly cookie (/login?token=...);
// deployed, callback.html keeps the Cognito ID token for this tab and it is sent as a bearer token.

export const TOKEN_KEY = "clausewatch.id_token";

export const UNREACHABLE = "Cannot reach the clausewatch API (the server is down or the network is off): "
  + "nothing was changed; try again in a moment.";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = "GET", json, raw = false, accept = "application/json" } = {}) {
  // deployed, API Gateway returns binary bodies (the PDF) as bytes when Accept names their type
  const headers = new Headers({ Accept: accept });
  const idToken = sessionStorage.getItem(TOKEN_KEY);
  if (idToken) headers.set("Authorization", `Bearer ${idToken}`);
  let body;
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    // the browser got no answer at all (the server is down, the network is off): fetch's own
    // "TypeError: Failed to fetch" means nothing to the person reading it
    throw new ApiError(0, UNREACHABLE);
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = (await response.json()).message || message;
    } catch {
      // not JSON: keep the status text
    }
    if (response.status === 401) signedOut();
    throw new ApiError(response.status, message);
  }
  return raw ? response : response.json();
}

// every page of a paged list as the API answered it (follows next_cursor): a page may say more than
// its items (the findings' total_at_stake)
export async function pages(path) {
  const answers = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    answers.push(page);
    cursor = page.next_cursor;
  } while (cursor);
  return answers;
}

// every item of a paged list
export async function all(path) {
  return (await pages(path)).flatMap((page) => page.items);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// one path segment of an API URL: '@' is left as it is (a recurring obligation's occurrence id,
// "<id>@2026-12-05"; '@' is allowed in a path segment), since the local API Gateway checks the id's
// pattern on the segment as sent and would refuse "%40"
export function segment(value) {
  return encodeURIComponent(value).replace(/%40/g, "@");
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// a day is always shown with the time zone it is counted in
export function day(value, timeZone) {
  if (!value) return "-";
  return timeZone ? `${value} (${timeZone})` : value;
}

// a text with places it may wrap at (a <wbr> after each "@", "_" and "/"): an email, a kind
// (notice_deadline) or a zone (America/Los_Angeles) then no longer sets its column's least width
// (a table beside the PDF stayed wider than its column), and reads the same (no characters added)
export function wrappable(text) {
  if (!text) return text;
  return String(text).split(/(?<=[@_/])/).flatMap((part, index) => (index ? [el("wbr"), part] : [part]));
}

export function contractLink(id, text) {
  return el("a", { href: `contract.html?id=${encodeURIComponent(id)}` }, text || id);
}

const PAGES = [
  ["renewals.html", "Renewals"],
  ["obligations.html", "Obligations"],
  ["money.html", "Money"],
  ["upload.html", "Upload"],
  ["attention.html", "Needs attention"],
];

export function header(current) {
  const nav = el("nav", { "aria-label": "Pages" },
    el("ul", {}, PAGES.map(([href, label]) =>
      el("li", {}, el("a", { href, "aria-current": href === current ? "page" : null }, label)))));
  const top = document.getElementById("top");
  top.replaceChildren(
    el("a", { class: "skip", href: "#main" }, "Skip to content"),
    el("span", { class: "brand" }, "clausewatch"), nav,
    el("a", { class: "signout", href: "/logout", onclick: signOut }, "Sign out"));
}

// the page's status line, or another one (`where`: the id of a section's own, beside its controls)
export function status(text, kind = "info", where = "status") {
  const box = document.getElementById(where);
  if (!box) return;
  box.textContent = text;
  box.className = `status ${kind}`;
}

export function failed(error, where = "status") {
  let text = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.status) text = `${error.status}: ${error.message}`;
  status(text, "error", where);
}

// one request at a time from a control: `buttons` are disabled while `work` runs (a double-click
// sends one request) and enabled again when it fails (the row is left as it was, to try again);
// a failure is said in the status line `where`
export async function busy(buttons, work, where = "status") {
  const controls = [buttons].flat().filter(Boolean);
  if (controls.some((b) => b.disabled)) return undefined;
  controls.forEach((b) => { b.disabled = true; });
  try {
    return await work();
  } catch (error) {
    failed(error, where);
    return undefined;
  } finally {
    controls.forEach((b) => { if (b.isConnected) b.disabled = false; });
  }
}

// Enter in a text field presses the row's button (the fields of a row are not a <form>)
export function enterPresses(button, ...inputs) {
  for (const input of inputs) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        button.click();
      }
    });
  }
}

// on a narrow screen a table's rows are stacked: each cell is labelled with its column's header
// (data-label, shown by style.css), whatever page or script filled the table
function labelCells(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!heads.length) return;
  for (const tr of table.querySelectorAll("tbody tr")) {
    [...tr.children].forEach((cell, index) => {
      if (heads[index] && !cell.hasAttribute("colspan")) cell.dataset.label = heads[index];
    });
  }
}

new MutationObserver((changes) => {
  const tables = new Set(changes.map((c) => c.target instanceof Element && c.target.closest("table")).filter(Boolean));
  tables.forEach(labelCells);
}).observe(document.documentElement, { childList: true, subtree: true });

export const PKCE_KEY = "clausewatch.pkce";

// the deployment's /app/config.json (the Cognito hosted UI); null locally
export async function deployment() {
  try {
    const response = await fetch("config.json", { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

export function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// deployed: to the Cognito hosted UI (authorization code + PKCE); locally: say how to sign in
async function signedOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  const config = await deployment();
  if (config && config.cognito) {
    const { domain, clientId, redirectUri } = config.cognito;
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64url(new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, back: location.pathname + location.search }));
    const query = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri,
      scope: "openid email profile", code_challenge: challenge, code_challenge_method: "S256", state });
    location.assign(`${domain}/oauth2/authorize?${query}`);
    return;
  }
  status("Not signed in: open the sign-in link `clausewatch token create --team TEAM --user EMAIL` "
    + "prints (…/login?token=…).", "error");
}

async function signOut(event) {
  event.preventDefault();
  sessionStorage.removeItem(TOKEN_KEY);
  const config = await deployment();
  if (config && config.cognito) {
    const { domain, clientId, signedOutUri } = config.cognito;
    location.assign(`${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: signedOutUri })}`);
  } else {
    location.assign("/logout"); // clausewatch serve clears its cookie
  }
}

// a date N days after today (the browser's day), ISO
export function isoInDays(days) {
  const now = new Date();
  const when = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() + days));
  return when.toISOString().slice(0, 10);
}

export const BUCKET_UNREACHABLE = "Cannot reach the upload bucket (the network is off or the bucket cannot be "
  + "reached): the file was not sent and nothing was changed; try again in a moment.";

// a file POSTed to the bucket with a presigned POST's fields (POST /uploads, .../evidence-uploads).
// The bucket is another origin: its answer is not readable here (no-cors), so the API's record
// tells how it went; no answer at all says so in words, as api() does, not fetch's "Failed to fetch"
export async function sendFile(post, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append("file", file); // last, as S3 requires
  try {
    await fetch(post.url, { method: "POST", body: form, mode: "no-cors" });
  } catch {
    throw new ApiError(0, BUCKET_UNREACHABLE);
  }
}
