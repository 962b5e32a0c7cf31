// The front-end's lint (templates/static/js: native ES modules in the browser; tests/js: node --test).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["templates/static/js/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser }
  },
  {
    // Runs blocking in <head>, before the first paint: a classic script, not a module.
    files: ["templates/static/js/elder-mode-init.js"],
    languageOptions: { sourceType: "script" }
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node }
  }
];
