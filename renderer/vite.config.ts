import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console's renderer: one bundle for the desktop window (loaded from file://) and browser
// mode (served by the bridge). Everything, the editor included, is bundled: no request leaves
// the machine.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8_000,
  },
  worker: { format: 'es' },
});
