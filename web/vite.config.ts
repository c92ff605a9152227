// The trainer's app: one page, built into a bundle that `anjian serve` holds in memory. Relative
// asset paths, so the bundle works wherever it is installed; no code from other hosts.
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: { target: "es2022", chunkSizeWarningLimit: 2000, reportCompressedSize: false },
});
