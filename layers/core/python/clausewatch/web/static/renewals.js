// Renewals (the landing page): contracts whose notice deadline or term end is in the next N days,
// soonest first, as a table and a timeline. Overdue and "closing within 14 days" stand out; each
// term's renewal decision (its workflow: waiting for whom, recommended what, decided by whom).
import { all, api, contractLink, day, el, failed, header, status } from "./app.js";

const CLOSING_DAYS = 14;

function urgency(item) {
  const left = item.days_left_to_give_notice;
  if (item.missed_notice_deadline) return "overdue";  // this term's notice deadline passed, none recorded
  if (item.notice_status === "overdue" || (left !== null && left < 0)) return "overdue";
  if (left !== null && left <= CLOSING_DAYS) return "closing";
  return null;
}

// the term's renewal decision in words, from the API's `decision` (none: not started yet)
export function decisionText(decision) {
  if (!decision) return "not started";
  if (decision.state === "waiting") {
    return `waiting for the ${decision.waiting_for || "owner"}`
      + (decision.recommended ? ` (recommended: ${decision.recommended})` : "");
  }
  if (decision.decided_by) return `${decision.outcome || decision.state}, by ${decision.decided_by}`;
  return decision.outcome || decision.state;
}

function row(item) {
  const flag = urgency(item);
  const left = item.days_left_to_give_notice;
  return el("tr", { class: flag, dataset: { contract: item.contract_id } },
    el("td", {}, contractLink(item.contract_id, item.title || item.contract_id)),
    el("td", {}, item.counterparty || "-"),
    el("td", {}, item.owner || "unowned"),
    el("td", {}, item.auto_renew === null ? "-" : item.auto_renew
      ? `yes${item.renewal_term ? ` (${item.renewal_term})` : ""}` : "no"),
    el("td", { class: "notice-deadline" }, item.missed_notice_deadline
      ? el("span", { title: item.missed_notice_derivation || "" },
        el("span", { class: "badge" }, "missed "), day(item.missed_notice_deadline, item.time_zone),
        `; next ${day(item.notice_deadline, item.time_zone)}`)
      : day(item.notice_deadline, item.time_zone)),
    el("td", { class: "days-left" }, left === null ? "-" : String(left),
      flag === "overdue" ? el("span", { class: "badge" }, " overdue") : null,
      flag === "closing" ? el("span", { class: "badge" }, " closing") : null),
    el("td", { class: "expiration" }, day(item.expiration, item.time_zone)),
    el("td", {}, item.notice_status || "-"),
    el("td", { class: "decision", dataset: { state: item.decision ? item.decision.state : "none" } },
      decisionText(item.decision)));
}

function timeline(items, within) {
  const list = document.getElementById("timeline");
  list.replaceChildren(el("span", { class: "today" }, "today"));
  items.forEach((item, index) => {
    const days = Math.min(within, Math.max(0, item.days_left_to_give_notice ?? item.days_to_expiration ?? 0));
    // three lanes of labels, so that close dates do not print over each other
    const marker = el("li", { class: [urgency(item), `lane${index % 3}`].filter(Boolean).join(" ") },
      el("a", { href: `contract.html?id=${encodeURIComponent(item.contract_id)}` },
        `${item.title || item.contract_id}: ${day(item.next_date, item.time_zone)}`));
    marker.style.left = `${(100 * days) / within}%`;
    list.append(marker);
  });
}

// an empty window says why: the team has no contracts yet (and where to add them), or none comes up
// in this window (and a longer one to choose)
async function empty(items, within) {
  const box = document.getElementById("empty");
  box.hidden = items.length > 0;
  document.getElementById("timeline").hidden = items.length === 0;
  if (items.length) return;
  const contracts = await api("/contracts");
  box.replaceChildren(...(contracts.items.length === 0
    ? ["Your team has no contracts yet: ", el("a", { href: "upload.html" }, "upload signed PDFs"),
      " and their notice deadlines and term ends will be listed here."]
    : [`No notice deadline or term end in the next ${within} days`
      + (within < 365 ? ": choose a longer window above to see what comes later." : ".")]));
}

// the landing page also says what is overdue or due this week (obligations, counted as the
// Obligations page counts them: in each contract's time zone, by the API's days_left)
async function thisWeek() {
  const [overdue, open] = await Promise.all([all("/obligations?status=overdue"), all("/obligations?status=open")]);
  const soon = open.filter((o) => o.status === "open" && o.days_left !== null && o.days_left >= 0 && o.days_left <= 7);
  const box = document.getElementById("this-week");
  box.hidden = false;
  box.dataset.overdue = String(overdue.length);
  box.dataset.soon = String(soon.length);
  if (!overdue.length && !soon.length) {
    box.replaceChildren("This week: no obligation is overdue or due in the next 7 days.");
    box.className = "this-week";
    return;
  }
  box.className = overdue.length ? "this-week overdue" : "this-week";
  box.replaceChildren("This week: ",
    overdue.length ? el("a", { href: "obligations.html?window=overdue" }, `${overdue.length} obligation(s) overdue`) : null,
    overdue.length && soon.length ? ", " : null,
    soon.length ? el("a", { href: "obligations.html?window=week" }, `${soon.length} due in the next 7 days`) : null, ".");
}

async function load() {
  const select = document.getElementById("within");
  const within = Number(select.value);
  status("Loading ...");
  try {
    const items = await all(`/renewals?within=${within}`);
    document.querySelector("#renewals tbody").replaceChildren(...items.map(row));
    timeline(items, within);
    status(`${items.length} contract(s) with a notice deadline or term end in the next ${within} days.`);
    await Promise.all([empty(items, within), thisWeek()]);
    document.body.dataset.loaded = "renewals";
  } catch (error) {
    failed(error);
  }
}

header("renewals.html");
const select = document.getElementById("within");
const wanted = new URLSearchParams(location.search).get("within");
if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
select.addEventListener("change", () => {
  history.replaceState(null, "", `?within=${select.value}`);
  load();
});
load();
