import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    // Pre-compressed twins (.br, .gz) of every text asset: the API serves them with Content-Encoding
    // (apps/api/src/common/web/serve-web.ts), so nothing is compressed per request. Source maps stay
    // uncompressed (never sent to browsers); files under 1 KiB are not worth it.
    compression({
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip', { level: 9 })],
      include: /\.(js|mjs|css|html|svg|json|txt)$/,
      exclude: /\.map$/,
      threshold: 1024,
      skipIfLargerOrEqual: true,
      logLevel: 'silent',
    }),
  ],
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
    // Two pages: the staff app, and the customer's status page (its own small bundle, none of the app).
    rollupOptions: {
      input: { main: fromRoot('./index.html'), status: fromRoot('./status.html') },
    },
  },
  server: {
    port: 4200,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: { port: 4300, proxy: { '/api': { target: 'http://localhost:3000' } } },
});
