#!/usr/bin/env node
// Runs the compiled CLI (`npm run build`); in a checkout without a build, `npm run patron -- …` runs it from source.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
if (!existsSync(compiled)) {
  console.error('Patron is not built yet: run `npm run build` (or `npm start`) first.')
  process.exit(1)
}
await import(compiled)
