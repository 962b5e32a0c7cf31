/* The state of the 网上申报 page: one application, written to by one request at a time. */

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
  }

  /* Writes (form, materials, submit) go one after another, so no two race for the application's version. */
  write(task) {
    var run = this.writes.then(task, task);
    this.writes = run.catch(function () {});
    return run;
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
