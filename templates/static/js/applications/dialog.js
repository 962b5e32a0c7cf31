/* A modal <dialog> from templates/partials/application.html. open(opener, onYes, focus): onYes(dialog) runs on 是;
   否, Esc and close() close it and return focus to the control that opened it. While busy(true) holds, the
   dialog cannot be closed (a request is on its way). */

import { busy } from "../forms.js";

export class Dialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.form = dialog.querySelector("form");
    this.yes = dialog.querySelector("[data-dialog-yes]");
    this.no = dialog.querySelector("[data-dialog-no]");
    this.error = dialog.querySelector(".dialog-error");
    this.opener = null;
    this.onYes = null;
    this.working = false;
    this.yes.addEventListener("click", () => {
      if (!this.working && this.onYes) {
        this.onYes(this);
      }
    });
    this.no.addEventListener("click", () => {
      if (!this.working) {
        this.close();
      }
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Esc: the same as 否, unless a request is on its way
      if (!this.working) {
        this.close();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault(); // Enter in a text box never sends the dialog's decision by itself
    });
  }

  open(opener, onYes, focus) {
    this.opener = opener || document.activeElement;
    this.onYes = onYes;
    this.showError("");
    this.busy(false);
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
    (focus || this.yes).focus();
  }

  /* Closed after what it asked for was done: focus goes where the page puts it, not back to the opener. */
  finish() {
    this.busy(false);
    this.opener = null;
    this.close();
  }

  close() {
    this.busy(false);
    if (this.dialog.open) {
      this.dialog.close();
    }
    if (this.opener && document.body.contains(this.opener) && !this.opener.closest("[hidden]")) {
      this.opener.focus();
    }
  }

  busy(on, text) {
    if (on === this.working) {
      return;
    }
    this.working = on;
    busy(this.yes, on, text);
    if (on) {
      this.no.setAttribute("aria-disabled", "true");
    } else {
      this.no.removeAttribute("aria-disabled");
    }
  }

  showError(message) {
    this.error.textContent = message || "";
    this.error.hidden = !message;
  }
}
