// Shared by every page: the API client (same origin, the caller's auth), DOM helpers, the header.
// Locally `clausewatch serve` signs the browser in with an HttpOnly cookie (/login?token=...);
// deployed, callback.html keeps the Cognito ID token for this tab and it is sent as a bearer token.

export const TOKEN_KEY = "clausewatch.id_token";

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
  const response = await fetch(path, { method, headers, body, credentials: "same-origin" });
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

// every page of a paged list (follows next_cursor)
export async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
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

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// a day is always shown with the time zone it is counted in
export function day(value, timeZone) {
  if (!value) return "-";
  return timeZone ? `${value} (${timeZone})` : value;
}

export function contractLink(id, text) {
  return el("a", { href: `contract.html?id=${encodeURIComponent(id)}` }, text || id);
}

const PAGES = [
  ["renewals.html", "Renewals"],
  ["obligations.html", "Obligations"],
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

export function status(text, kind = "info") {
  const box = document.getElementById("status");
  if (!box) return;
  box.textContent = text;
  box.className = `status ${kind}`;
}

export function failed(error) {
  status(error instanceof ApiError ? `${error.status}: ${error.message}` : String(error), "error");
}

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
