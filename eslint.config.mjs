// ESLint for the dApp's TypeScript (dapp/): the recommended and type-aware rules of typescript-eslint.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dapp/dist/", "dapp/src/generated/", "node_modules/", ".venv/", "build/"] },
  {
    files: ["dapp/**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: "dapp/tsconfig.json", tsconfigRootDir: import.meta.dirname } },
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  { files: ["dapp/build.mjs"], extends: [js.configs.recommended], languageOptions: { globals: { process: "readonly" } } },
);
