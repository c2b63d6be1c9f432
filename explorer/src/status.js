// The status line (an ARIA live region) and the actions whose failures it reports.
import { ApiError } from "./api.js";
import { $ } from "./dom.js";

const actions = { busy: 0, done: 0 };

/** Say something in the status line: level info, warn or error, with an optional link. */
export function say(text, level = "info", link = null) {
  const box = $("message");
  box.className = text ? level : "";
  box.replaceChildren(text);
  if (link) {
    const a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.text;
    box.append(" ", a);
  }
}

/** Explain a failed call in the page; a lost session gets a link to log in again. */
export function fail(error) {
  if (error instanceof ApiError && error.kind === "session") {
    say(error.message, "error", { href: "/login?next=/explore/", text: "Log in" });
  } else {
    say(error.message || String(error), "error");
  }
}

/** Run an action of the page, any failure said in the status line. */
export async function guarded(action) {
  actions.busy += 1;
  document.body.setAttribute("aria-busy", "true");
  try {
    return await action();
  } catch (error) {
    fail(error);
    return undefined;
  } finally {
    actions.busy -= 1;
    if (!actions.busy) document.body.removeAttribute("aria-busy");
    // How many actions have ended: what tests and the benchmark wait on.
    actions.done += 1;
    document.body.dataset.done = String(actions.done);
  }
}
