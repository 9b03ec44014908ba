import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort } from '../free-port.js'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}


let server: ChildProcess | undefined
let dataDir: string | undefined

/** Starts the built Patron on a fresh SQLite database with a small demo chain. */
export default async function setup(project: TestProject) {
  if (!existsSync('dist/cli/main.js') || !existsSync('dist/web/index.html')) {
    throw new Error('Patron is not built: run `npm run build` first (npm run test:e2e does).')
  }
  dataDir = mkdtempSync(join(tmpdir(), 'patron-e2e-'))
  const port = await freePort()
  const env = { ...process.env, PATRON_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dataDir, 'patron.db')}` }
  const seeded = spawnSync(process.execPath, ['bin/patron.js', 'seed-demo', '--members', '300', '--seed', '7'], { env, encoding: 'utf8' })
  if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`)
  server = spawn(process.execPath, ['bin/patron.js', 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] })
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // No teardown runs when setup throws: stop the server here rather than leave it running.
      server.kill('SIGTERM')
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
      throw new Error('Patron did not become ready in 60 s')
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  project.provide('baseUrl', baseUrl)
  return async () => {
    server?.kill('SIGTERM')
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}
