import type { AddressInfo } from 'node:net'
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { parseMapping } from './member-import.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!

describe('a running member import and the till', () => {
  // The till's lookup goes through a real socket: an import that never let the event loop turn
  // would hold every request until its end (the issue saw lookups 30× slower during an import).
  it("answers the till's member lookups promptly while a large import runs", async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1/members/lookup`
    const phone = nextPhone()
    await t.given.member({ phone })
    const cookie = await t.login(t.users.cashier!.username)
    let n = 0
    const lookup = async () => {
      // Lookups are metered per cashier per minute: each minute of the fixed clock takes 20.
      if (++n % 20 === 0) t.clock.advance(60_000)
      const started = performance.now()
      const res = await fetch(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ phone }) })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`lookup ${res.status}: ${body}`)
      return performance.now() - started
    }
    const quiet: number[] = []
    for (let i = 0; i < 40; i++) quiet.push(await lookup())

    const rows = 15_000
    const csv = `手机,姓名\n${Array.from({ length: rows }, (_, i) => `${13900000000 + i},导入${i}`).join('\n')}\n`
    // Read from a file, as the upload and the CLI read it (64 KiB at a time).
    const file = join(mkdtempSync(join(tmpdir(), 'patron-latency-')), 'members.csv')
    writeFileSync(file, csv)
    let importing = true
    const started = performance.now()
    const run = t.services.memberImports.run(t.actors.hq_admin, { source: createReadStream(file), mapping: parseMapping('手机=phone,姓名=name') })
      .finally(() => { importing = false })
    const during: number[] = []
    while (importing) during.push(await lookup())
    const counts = await run
    const importMs = performance.now() - started
    expect(counts.inserted).toBe(rows)

    quiet.sort((a, b) => a - b)
    during.sort((a, b) => a - b)
    const figures = { importMs: Math.round(importMs), lookups: during.length, quietP50: p(quiet, 0.5), quietP99: p(quiet, 0.99), p50: p(during, 0.5), p99: p(during, 0.99), max: during.at(-1) }
    console.log(`member lookup during a ${rows}-row import (${t.db.url.split(':')[0]}):`, JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v)))
    // The till keeps being served through the import, not only after it: lookups are answered
    // while it runs, each waiting about a batch. The bounds are generous (a loaded 2-core CI:
    // there, p99 was about 1 s with the import yielding between batches, 2.8 s without); the
    // figures are printed above.
    expect(during.length).toBeGreaterThanOrEqual(10)
    expect(p(during, 0.99)).toBeLessThan(Math.max(3000, importMs / 3))
  }, 300_000)
})
