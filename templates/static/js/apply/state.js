/* The state of the 网上申报 page: one application, written to by one request at a time. Until the first save it
   is only the empty form of GET /api/applications/new (id ""); stored() makes it a draft. */

import * as Api from "../api.js";

export class ApplyState {
  constructor(page) {
    this.page = page;
    this.app = null;
    this.form = document.getElementById("apply-form");
    this.files = {}; // material id → [file] as the server last confirmed them
    this.pending = {}; // material id → number of uploads on their way
    this.writes = Promise.resolve();
    this.submitKey = null;
    this.saveTimer = null;
    this.dirty = false;
    this.saveErrors = {}; // "form_data.x" → message, from the last autosave
    this.touched = {}; // "form_data.x" → true: edited since the last save
    this.loadedAt = Date.now();
    this.discarded = false;
  }

  /* Writes (form, materials, submit) go one after another, so no two race for the application's version. */
  write(task) {
    var run = this.writes.then(task, task);
    this.writes = run.catch(function () {});
    return run;
  }

  /* The draft, stored first if the page shows only its empty form: the first save (a field, a file) starts it,
     so opening 申报 and leaving puts no draft in 我的申请. One POST however many saves ask at once. */
  stored(options) {
    var self = this;
    if (this.app.id) {
      return Promise.resolve(this.app);
    }
    if (!this.starting) {
      this.starting = Api.post("/applications", { region: this.app.region, subitem_code: this.app.subitem_code },
        { keepalive: Boolean(options && options.keepalive) }).then(function (draft) {
        self.app.id = draft.id;
        self.app.updated_at = draft.updated_at;
        return self.app;
      }, function (error) {
        self.starting = null;
        throw error;
      });
    }
    return this.starting;
  }

  /* 删除草稿 chosen: what is typed is no longer saved (nor the draft stored by a save). */
  discard() {
    this.discarded = true;
    this.dirty = false;
    window.clearTimeout(this.saveTimer);
  }

  path(suffix) {
    return "/applications/" + encodeURIComponent(this.app.id) + (suffix || "");
  }

  /* Something the applicant changed: the next 是 is a new submission attempt, with a new key. */
  changed() {
    this.submitKey = null;
  }

  /* In a 补正, only what staff marked can be changed (一次性告知); the rest is shown, and saved as it was. */
  marked(kind, id) {
    var items = this.app.corrections.filter(function (item) { return item.kind; });
    return !items.length || items.some(function (item) { return item.kind === kind && item.id === id; });
  }
}
