import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// A consistent copy of a SQLite database file while Patron runs on it, made off the main thread:
// a worker opens its own read-only connection and runs `VACUUM INTO` (one read transaction, so the
// copy is the database as of its start; in WAL mode the server's writers go on meanwhile). On the
// server's own connection the copy would hold the connection, and on the main thread the event
// loop, for as long as it takes (minutes for a chain of a million members).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.module)
let db
try {
  db = new SQLite(workerData.file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  db.prepare('VACUUM INTO ?').run(workerData.target)
  parentPort.postMessage({ ok: true })
} catch (err) {
  parentPort.postMessage({ ok: false, error: String(err && err.message || err) })
} finally {
  if (db) db.close()
}
`

export const copySqliteOnline = (file: string, target: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const module = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER, { eval: true, workerData: { file, target, module } })
    let settled = false
    worker.once('message', (m: { ok: boolean; error?: string }) => {
      settled = true
      if (m.ok) resolve()
      else reject(new Error(`the copy of ${file} failed: ${m.error}`))
    })
    worker.once('error', (err) => {
      settled = true
      reject(err)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the copy of ${file} stopped (exit ${code})`))
    })
  })
