// Deployed: the Cognito hosted UI returns here with the ID token in the fragment; keep it for this
// tab only (sessionStorage) and go to the renewals page.
import { TOKEN_KEY } from "./app.js";

const fragment = new URLSearchParams(location.hash.slice(1));
const token = fragment.get("id_token");
history.replaceState(null, "", location.pathname);
if (token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  location.replace("renewals.html");
} else {
  document.getElementById("status").textContent =
    `Sign-in failed: ${fragment.get("error_description") || fragment.get("error") || "no token returned"}`;
}
