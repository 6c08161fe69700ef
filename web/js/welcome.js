// The first visit's welcome: what tau-sim is for and an offer of the tour ("Start the tour"
// or "Maybe later"). Shown once per browser: the answer is kept in localStorage, and the
// tour stays one click away under the top bar's "? Tour".
import { h } from "./ui.js";
import * as tour from "./tour.js";

const ANSWERED = "tau.welcome";

/** Offers the tour of the screen in view, unless this browser has answered before. */
export function offer() {
  if (localStorage.getItem(ANSWERED) || document.querySelector("dialog.welcome")) return;
  const dialog = h("dialog", { class: "dialog welcome", "aria-labelledby": "welcome-heading", "aria-describedby": "welcome-text" });
  const answer = (value) => {
    localStorage.setItem(ANSWERED, value);
    dialog.close();
    dialog.remove();
    if (value === "toured") tour.start(document.body.dataset.screen || "start");
  };
  dialog.append(
    h("h2", { id: "welcome-heading" }, "Welcome to tau-sim"),
    h("p", { id: "welcome-text" },
      "Build MuJoCo robot simulations in your browser: start from a sentence, a template or a Menagerie robot, ",
      "edit the scene and the environment, run it, and let the assistant propose changes you check before applying. ",
      "Would you like a short tour of this screen first?"),
    h("div", { class: "row end" },
      h("button", { type: "button", onclick: () => answer("later") }, "Maybe later"),
      h("button", { type: "button", class: "primary", onclick: () => answer("toured") }, "Start the tour")),
    h("p", { class: "small muted" }, "You can take the tour any time from “? Tour” in the top bar."));
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); answer("later"); });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector("button.primary").focus();
}
