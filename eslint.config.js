// ESLint for static/ (bash run.sh lint runs `npx eslint static` from the versions pinned in
// package-lock.json). Our page scripts are one dialect: ES modules (<script type="module">) in
// today's syntax; the service worker is a classic script. Vendored libraries are other people's code,
// kept as published.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      "arrow-body-style": ["error", "as-needed"],
      eqeqeq: ["error", "smart"],
      strict: "error", // modules are strict already: no "use strict"
      "no-implicit-globals": "error",
    },
  },
  {
    // Served by ticketing.views.scanner_service_worker with self.KOL_SW put in front of it, so a classic
    // worker script (not a module), strict by its own "use strict"; its global scope is its own.
    files: ["static/checkin/sw.js"],
    languageOptions: { sourceType: "script", globals: globals.serviceworker },
    rules: { strict: ["error", "global"], "no-implicit-globals": "off" },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
