import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The web app: TypeScript and Preact's JSX compiled by esbuild (no plugin needed), built into
 * dist/web, which the service serves. Asset names carry a content hash, so they are cached for a
 * year; no inline script or style is emitted (the CSP forbids both).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { "^/(login|logout|register|me|users|teams|invitations|settings|clients|projects|tags|category|entry|entries|imports|reports|tokens|webhooks|health)(/|\\?|$)": "http://localhost:3000" } },
});
