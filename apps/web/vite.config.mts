import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    // Installable on the engineer's phone; the service worker precaches the app shell (index.html, the hashed
    // chunks, styles, icons) so My work opens without a network. sw.js, registerSW.js and the manifest sit at
    // the root, outside assets/, so serve-web.ts sends them `no-cache` (never immutable): a deploy is picked up
    // on the next load. Navigations fall back to the cached index.html except the API and the customer's
    // status pages (/s/…), which are never answered from a cache.
    VitePWA({
      registerType: 'autoUpdate',
      // Registered by the staff app's entry (main.tsx), not injected into every page: the customer's status page
      // (status.html) must load no staff code and no render-blocking script, and never install the staff app's worker.
      injectRegister: null,
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Kept',
        short_name: 'Kept',
        description: 'Kept: the service-promise tracker for field service.',
        start_url: '/my-work',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#1f3a5f',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/s\//],
        cleanupOutdatedCaches: true,
        // A new worker takes over open pages at once, so the first visit is already covered offline.
        clientsClaim: true,
        skipWaiting: true,
        // Hashed chunks are immutable: precache revisions are their names; nothing under /api/ is cached.
        dontCacheBustURLsMatching: /^assets\//,
      },
    }),
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
