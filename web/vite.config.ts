import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { compression } from 'vite-plugin-compression2'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [
    react(),
    // Precompressed once at build (brotli at its best quality, gzip for older clients): the server
    // sends app.js.br or app.js.gz as the browser accepts, without compressing per request.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|mjs|css|html|svg|json|ico)$/, threshold: 1024 }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two pages: the staff console (index.html) and the member's own page (m/index.html, served at
    // /m/), each with its own first load; they share only what both import (React, the API client).
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('index.html', import.meta.url)),
        member: fileURLToPath(new URL('m/index.html', import.meta.url)),
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/docs': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' },
  },
})
