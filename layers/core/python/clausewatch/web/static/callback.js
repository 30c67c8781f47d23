// Deployed: the Cognito hosted UI returns here with an authorization code; exchange it (with the
// PKCE verifier kept before leaving) for the ID token, keep that for this tab only
// (sessionStorage), and go back to the page that asked for sign-in.
import { PKCE_KEY, TOKEN_KEY, deployment } from "./app.js";

const say = (text) => { document.getElementById("status").textContent = text; };

async function exchange() {
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || "{}");
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, "", location.pathname); // the code is single-use: out of the address bar
  if (params.get("error")) return say(`Sign-in failed: ${params.get("error_description") || params.get("error")}`);
  if (!params.get("code") || !saved.state || params.get("state") !== saved.state) {
    return say("Sign-in failed: the answer does not match this tab's request. Open the dashboard again.");
  }
  const config = await deployment();
  const { domain, clientId, redirectUri } = config.cognito;
  const response = await fetch(`${domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code: params.get("code"),
      redirect_uri: redirectUri, code_verifier: saved.verifier }),
  });
  const tokens = await response.json();
  if (!response.ok || !tokens.id_token) return say(`Sign-in failed: ${tokens.error || response.status}`);
  sessionStorage.setItem(TOKEN_KEY, tokens.id_token);
  location.replace(saved.back && saved.back.startsWith("/app/") ? saved.back : "renewals.html");
  return null;
}

exchange();
