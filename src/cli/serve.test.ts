import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/db.js'
import { freePort } from '../../test/free-port.js'

const tsx = join(process.cwd(), 'node_modules/.bin/tsx')

// `patron serve` as an operator starts it: what it prints, where, and on which address it listens.
describe('patron serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patron-serve-'))
  let tdb: TestDatabase
  let stdout = ''
  let stderr = ''
  let port = 0
  beforeAll(async () => {
    tdb = await createTestDatabase({ sqliteFile: join(dir, 'patron.db') })
    port = await freePort()
    const env: NodeJS.ProcessEnv = { ...process.env, PATRON_DATA_DIR: dir, DATABASE_URL: tdb.url, PATRON_KEY_FILE: join(dir, 'patron.key'), PORT: String(port), LOG_LEVEL: 'info', PATRON_SCHEDULER: 'off' }
    delete env.HOST
    const server = spawn(tsx, ['src/cli/main.ts', 'serve'], { env })
    server.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    server.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const deadline = Date.now() + 90_000
    while (!stderr.includes('API:')) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`patron serve did not start:\n${stderr}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
  }, 120_000)
  afterAll(async () => tdb.drop())

  it('prints the banner to stderr and keeps stdout to JSON log lines', () => {
    expect(stderr).toContain('Patron is running on')
    expect(stderr).toContain(`Console:`)
    const lines = stdout.split('\n').filter(Boolean)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow()
    expect(stdout).not.toContain('Patron is running')
  })

  it('logs each request once', () => {
    const requests = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; req?: { url: string } }).filter((l) => l.req?.url === '/healthz')
    expect(requests.map((l) => l.msg)).toEqual(['request', 'request'])
  })

  it('listens on 127.0.0.1 only unless HOST says otherwise, and says so', () => {
    const listening = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg.startsWith('Server listening at'))
    expect(listening.map((l) => l.msg)).toEqual([`Server listening at http://127.0.0.1:${port}`])
    expect(stderr).toContain('Listening on 127.0.0.1 only')
  })
})
