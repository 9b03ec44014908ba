import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeKeyFile } from '../../src/shared/pii.js'
import { TEST_PASSWORD, createTestContext, type TestContext } from '../context.js'
import { nextReceiptNo, sale } from '../receipts.js'
import { patronArgs } from '../../scripts/bench/processes.js'
import { freePort } from '../free-port.js'

// The deployment of the README's "Running on several machines": two API processes
// (`patron serve --no-worker`) and one worker process (`patron worker`) on one PostgreSQL,
// reached alternately as a plain load balancer would. Run by .ci/run in its PostgreSQL step
// (`npm run test:deploy`).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Proc { name: string; child: ChildProcessWithoutNullStreams; out: string; port: number; exited: Promise<number | null> }

const adminUrl = process.env.PATRON_TEST_DATABASE_URL
if (!adminUrl) throw new Error('the multi-process test runs on PostgreSQL: set PATRON_TEST_DATABASE_URL (npm run test:deploy does)')

let t: TestContext
let dir: string
const procs: Proc[] = []
let api: [Proc, Proc]
let worker: Proc
let posKey: { id: string; key: string }

const start = async (name: string, args: string[], port: number, extra: NodeJS.ProcessEnv = {}): Promise<Proc> => {
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: t.db.url, PATRON_DATA_DIR: dir, PATRON_KEY_FILE: join(dir, 'patron.key'), PORT: String(port),
    HOST: '127.0.0.1', LOG_LEVEL: 'info', PATRON_DB_POOL: '8', ...extra,
  }
  delete env.PATRON_TEST_DATABASE_URL
  // Node itself with tsx as its loader (not the tsx launcher, which runs the server as a child):
  // the process killed below is the server.
  const child = spawn(process.execPath, patronArgs(null, args), { env })
  const proc: Proc = { name, child, out: '', port, exited: new Promise((r) => child.once('exit', (code) => r(code))) }
  child.stdout.on('data', (d: Buffer) => { proc.out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { proc.out += d.toString() })
  procs.push(proc)
  return proc
}

const waitFor = async (proc: Proc, text: string, ms = 90_000) => {
  const deadline = Date.now() + ms
  while (!proc.out.includes(text)) {
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`${proc.name} did not print "${text}":\n${proc.out}`)
    await sleep(100)
  }
}

const url = (p: Proc, path: string) => `http://127.0.0.1:${p.port}${path}`
const till = (p: Proc, path: string, body: unknown) => fetch(url(p, path), {
  method: 'POST', headers: { authorization: `Bearer ${posKey.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
})
const staffLogin = async (p: Proc) => {
  const res = await fetch(url(p, '/api/v1/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: t.users.hq_admin!.username, password: TEST_PASSWORD }) })
  expect(res.status).toBe(200)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

beforeAll(async () => {
  t = await createTestContext()
  dir = mkdtempSync(join(tmpdir(), 'patron-deploy-'))
  writeKeyFile(join(dir, 'patron.key'), t.keyFile)
  posKey = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '1号收银台' })
  const [pa, pb, pw] = await Promise.all([freePort(), freePort(), freePort()])
  // Both API processes queue the scheduled jobs (the default); only the worker runs jobs.
  api = [await start('api-a', ['serve', '--no-worker'], pa), await start('api-b', ['serve', '--no-worker'], pb)]
  worker = await start('worker', ['worker'], pw, { PATRON_SCHEDULER: 'off' })
  await Promise.all([waitFor(api[0], 'API:'), waitFor(api[1], 'API:'), waitFor(worker, 'Patron worker:')])
}, 180_000)

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL')
  await Promise.all(procs.map((p) => p.exited))
  await t?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
}, 60_000)

describe('two API processes and a worker on one PostgreSQL', () => {
  it('a receipt posted to one is seen by the other at once, and a staff session opens both', async () => {
    const posted = await till(api[0], '/api/v1/pos/receipts', sale({ lines: [['SKU-D1', 2, 1_250]] }))
    expect(posted.status).toBe(201)
    const { receiptId } = await posted.json() as { receiptId: string }
    const cookie = await staffLogin(api[0])
    const seen = await fetch(url(api[1], `/api/v1/receipts/${receiptId}`), { headers: { cookie } })
    expect(seen.status).toBe(200)
    expect((await seen.json()).total).toBe(2_500)
  })

  it('a POS key revoked on one is refused by the other within the 5 seconds its cache keeps it', async () => {
    const key = await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '2号收银台' })
    const lookup = (p: Proc) => fetch(url(p, '/api/v1/members/lookup'), {
      method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13900000000' }),
    })
    expect((await lookup(api[1])).status).toBe(404) // accepted (no such member): B now holds the key in its cache
    const cookie = await staffLogin(api[0])
    const revoked = await fetch(url(api[0], `/api/v1/pos-keys/${key.id}/revoke`), { method: 'POST', headers: { cookie } })
    expect(revoked.status).toBe(200)
    const at = Date.now()
    expect((await lookup(api[0])).status).toBe(401) // at once where it was revoked
    let status = 200
    while (status !== 401 && Date.now() - at < 10_000) {
      status = (await lookup(api[1])).status
      if (status !== 401) await sleep(250)
    }
    expect(status).toBe(401)
    expect(Date.now() - at).toBeLessThanOrEqual(6_000)
  })

  it('a daily job queued by both schedulers runs once, in the worker', async () => {
    // Each scheduler's first tick comes 5 s after its process started.
    const deadline = Date.now() + 60_000
    let rows: Array<{ status: string; attempts: number }> = []
    while (Date.now() < deadline) {
      rows = await t.services.db.selectFrom('job_queue').select(['status', 'attempts']).where('name', '=', 'jobs.prune').execute()
      if (rows.length > 0 && rows.every((r) => r.status === 'done')) break
      await sleep(500)
    }
    expect(rows).toEqual([{ status: 'done', attempts: 1 }])
    // Both schedulers are on; whichever ticked first queued the day's jobs.
    expect(api.some((p) => p.out.includes('scheduled jobs queued'))).toBe(true)
  })

  it('/metrics on each process counts its own requests and reports the same queue', async () => {
    const [a, b] = await Promise.all([api[0], api[1]].map(async (p) => (await fetch(url(p, '/metrics'))).text())) as [string, string]
    expect(a).toContain('http_requests_total{method="POST",route="/api/v1/pos/receipts",status="201"} 1')
    expect(b).not.toContain('route="/api/v1/pos/receipts"')
    const queued = (text: string) => text.split('\n').find((l) => l.startsWith('patron_jobs{name="jobs.prune",state="queued"}'))
    expect(queued(a)).toBeDefined()
    expect(queued(a)).toBe(queued(b))
  })

  it('killing an API process mid-rush loses no receipt it confirmed; the till resends the rest to the other', async () => {
    const sales = Array.from({ length: 120 }, (_, i) => sale({ receiptNo: nextReceiptNo('MP'), lines: [['SKU-D3', 1, 100 + i]] }))
    const confirmed = new Set<string>()
    const unanswered: typeof sales = []
    // The balancer alternates and knows nothing of health: after the kill, A's share fails to connect.
    const send = async (s: (typeof sales)[number], i: number) => {
      const target = api[i % 2]!
      try {
        const res = await till(target, '/api/v1/pos/receipts', s)
        if (res.status === 201 || res.status === 200) confirmed.add(s.receiptNo)
        else unanswered.push(s)
      } catch {
        unanswered.push(s) // the connection died with the process: the till does not know
      }
    }
    const running: Array<Promise<void>> = []
    for (const [i, s] of sales.entries()) {
      running.push(send(s, i))
      if (i === 40) api[0].child.kill('SIGKILL')
      if (i % 8 === 7) await Promise.all(running.splice(0))
    }
    await Promise.all(running)
    await api[0].exited
    expect(confirmed.size).toBeGreaterThan(40)

    const stored = async () => new Set((await t.services.db.selectFrom('receipts').select('receipt_no').where('receipt_no', 'like', 'MP%').execute()).map((r) => r.receipt_no))
    for (const no of confirmed) expect((await stored()).has(no), `confirmed ${no} is stored`).toBe(true)

    // What the till never heard back about, it sends again to the process still up: a receipt that
    // did commit before the kill is answered 200 (the first result), never stored twice.
    for (const s of unanswered) {
      const res = await till(api[1], '/api/v1/pos/receipts', s)
      expect([200, 201]).toContain(res.status)
    }
    const all = await t.services.db.selectFrom('receipts').select(['receipt_no']).where('receipt_no', 'like', 'MP%').execute()
    expect(all).toHaveLength(sales.length)
    expect(new Set(all.map((r) => r.receipt_no)).size).toBe(sales.length)
  })

  it('SIGTERM drains: what the server took in is answered, then it exits 0; the worker finishes its job and exits 0', async () => {
    const b = api[1]
    const nos = Array.from({ length: 16 }, () => nextReceiptNo('MT'))
    const inFlight = nos.map((receiptNo) => till(b, '/api/v1/pos/receipts', sale({ receiptNo, lines: [['SKU-D4', 1, 300]] }))
      .then((r) => r.status, (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? String(err)))
    await sleep(20)
    b.child.kill('SIGTERM')
    const statuses = await Promise.all(inFlight)
    // A request the server took in was answered (posted, or 503 once it began closing); one it
    // never read failed to connect or lost its connection unread. Whatever was stored was
    // answered 201, and nothing refused or cut off was stored: the till may resend it.
    const t0 = Date.now()
    expect(await b.exited).toBe(0)
    // Not after its idle keep-alive connections time out (72 s): the last answers closed theirs.
    expect(Date.now() - t0).toBeLessThan(10_000)
    const stored = new Set((await t.services.db.selectFrom('receipts').select('receipt_no').where('receipt_no', 'like', 'MT%').execute()).map((r) => r.receipt_no))
    nos.forEach((no, i) => {
      if (stored.has(no)) expect(statuses[i], `${no} was stored`).toBe(201)
      else expect(statuses[i], `${no} was not stored`).not.toBe(201)
    })
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0)

    worker.child.kill('SIGTERM')
    expect(await worker.exited).toBe(0)
    expect(worker.out).toContain('worker stopping')
  })
})
