import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * SQLite's write-ahead log is copied back into the database file by a checkpoint. Left to
 * SQLite, the commit that takes the log past 1,000 pages runs it, in the committing thread: the
 * insight refresh's commit then waited for its own pages to be copied and synced (0.8–1.2 s of
 * a 1M-member incremental refresh). SQLite's own advice for a writer that must not wait is to
 * turn the automatic checkpoint off and run checkpoints from another thread; this is that
 * thread: a worker with its own connection to the file, checkpointing (PASSIVE: it never blocks
 * a reader or the writer) every `everyMs`.
 */
export interface Checkpointer {
  /** Stops the worker after one last checkpoint and closes its connection. */
  stop(): Promise<void>
}

// CommonJS, evaluated in the worker: no file to resolve under tsx, the build or the tests.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.module)
const db = new SQLite(workerData.file)
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)') } catch {} }
const timer = setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

export const startCheckpointer = (file: string, failed: () => void, everyMs = 500): Checkpointer => {
  const module = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, { eval: true, workerData: { file, module, everyMs } })
  // A worker that cannot run must not take the process down: the caller checkpoints again.
  worker.on('error', failed)
  // The worker does not keep a CLI process alive on its own.
  worker.unref()
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    stop: async () => {
      // Held while it stops: unreferenced, the process would end before the worker said it had.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
