import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@/': fromRoot('./src/'),
      '@kept/contracts': fromRoot('../../libs/contracts/src/index.ts'),
      '@kept/domain': fromRoot('../../libs/domain/src/index.ts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Maps for debugging production errors, without advertising them to browsers.
    sourcemap: 'hidden',
  },
  server: {
    port: 4200,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: { port: 4300, proxy: { '/api': { target: 'http://localhost:3000' } } },
});
