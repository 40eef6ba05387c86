// ESLint for static/ (bash run.sh lint runs `npx eslint static` from the versions pinned in
// package-lock.json). Vendored libraries are other people's code, kept as published.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
  },
  {
    // Served by ticketing.views.scanner_service_worker with self.KOL_SW put in front of it.
    files: ["static/checkin/sw.js"],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
