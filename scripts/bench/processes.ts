// Child processes for `npm run bench`: the server under test (one process, so the load
// generator does not share its event loop), a bare Fastify ceiling, and CLI commands whose
// peak memory is read from /proc.
import autocannon from 'autocannon'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { freePort } from '../../test/free-port.js'

export { freePort }

/** The CLI from source through the TypeScript loader, or a build of it (`dist/cli/main.js` after npm run build:server). */
export const patronArgs = (built: string | null, args: string[]) => (built ? [built, ...args] : ['--import', 'tsx', 'src/cli/main.ts', ...args])

export interface Child {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

/** Starts a server script in a child process and waits until `readyPath` answers. */
export const startChild = async (nodeArgs: string[], env: NodeJS.ProcessEnv, readyPath: string): Promise<Child> => {
  const port = await freePort()
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${nodeArgs.join(' ')} exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}${readyPath}`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${nodeArgs.join(' ')} did not become ready in 120 s`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await once(child, 'exit')
      clearTimeout(timer)
    },
  }
}

export interface LoadResult {
  /** 2xx responses per second */
  rate: number
  p50: number
  p99: number
  ok: number
  failed: number
  /** the first unexpected response, for the report */
  sample: string | null
}

/** Drives `connections` concurrent keep-alive connections for `seconds`, a fresh body per request. */
export const load = async (options: { url: string; path: string; seconds: number; connections: number; headers: Record<string, string>; body: () => unknown }): Promise<LoadResult> => {
  let sample: string | null = null
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      headers: { 'content-type': 'application/json', ...options.headers },
      requests: [{
        method: 'POST',
        path: options.path,
        setupRequest: (req) => ({ ...req, body: JSON.stringify(options.body()) }),
        onResponse: (status, body) => {
          if ((status < 200 || status >= 300) && sample === null) sample = `${status} ${body.slice(0, 300)}`
        },
      }],
    }, (err, res) => (err ? reject(err) : resolve(res)))
    instance.on('reqError', (err: Error) => { sample ??= err.message })
  })
  // Timeouts (no answer within 10 s) count among the errors.
  const failed = result.non2xx + result.errors
  return { rate: result['2xx'] / result.duration, p50: result.latency.p50, p99: result.latency.p99, ok: result['2xx'], failed, sample }
}

/** Runs a command to its end, sampling its peak RSS (VmHWM) from /proc. */
export const runMeasured = async (nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; seconds: number; peakBytes: number; stdout: string; stderr: string }> => {
  const started = performance.now()
  const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000) })
  let peak = 0
  const status = `/proc/${child.pid}/status`
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]) * 1024)
    } catch {
      // exited
    }
  }
  const timer = setInterval(sample, 100)
  // The process stays in /proc until reaped: read the high-water mark once more as it exits.
  child.on('exit', sample)
  const [code] = (await once(child, 'close')) as [number | null]
  clearInterval(timer)
  return { code, seconds: (performance.now() - started) / 1000, peakBytes: peak, stdout, stderr }
}

/** Whether this checkout's CLI has a command (e.g. another engineer's not finished yet). */
export const hasCommand = (built: string | null, args: string[]) =>
  (!built || existsSync(built)) && spawnSync(process.execPath, patronArgs(built, [...args, '--help']), { encoding: 'utf8' }).status === 0
