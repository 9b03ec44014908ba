// Where a server child's time went (`npm run bench -- --profile`): the V8 CPU profile it wrote
// on exit, summed by function (self time) and by package or source directory.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

const where = (url: string): string => {
  if (!url) return '(native / idle / gc)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  const src = /\/(?:src|dist)\/([^/]+(?:\/[^/]+)?)\//.exec(url)
  if (src) return `src/${src[1]!}`
  return url.startsWith('node:') ? url.split('/')[0]! : url.split('/').slice(-2).join('/')
}

/** A sample under this function is the server's start (compiling the response serializers before /readyz says ready), not a request's. */
const STARTUP = /\/http\/lazy-serializers\.[jt]s$/

/**
 * The top entries of every profile in `dir`, as printable lines. Samples of the serializers'
 * compiling (before the server says it is ready, so before any load) are counted apart.
 */
export const summariseProfiles = (dir: string, top = 15): string[] => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  const byFunction = new Map<string, number>()
  const byPlace = new Map<string, number>()
  // Inclusive time of Patron's own functions: every sample counts for each of them on its stack
  // (an async function's time is what ran after its awaits resumed, not the time it waited).
  const inclusive = new Map<string, number>()
  let total = 0
  let startup = 0
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
    const nodes = new Map(p.nodes.map((n) => [n.id, n]))
    const parent = new Map<number, number>()
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i] ?? 0
      const cf = nodes.get(id)!.callFrame
      if (cf.functionName === '(idle)') return
      // One walk up the stack: Patron's functions on it, unless it is the serializers' compiling.
      const ours = new Set<string>()
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = nodes.get(at)!.callFrame
        if (f.functionName === 'warm' && STARTUP.test(f.url)) {
          startup += dt
          return
        }
        if (f.url.includes('node_modules') || !/\/(src|dist)\//.test(f.url) || !f.functionName) continue
        ours.add(`${f.functionName} ${f.url.replace(/.*\/(src|dist)\//, 'src/')}:${f.lineNumber + 1}`)
      }
      total += dt
      for (const name of ours) inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
      const name = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}` : ''}`
      byFunction.set(name, (byFunction.get(name) ?? 0) + dt)
      byPlace.set(where(cf.url), (byPlace.get(where(cf.url)) ?? 0) + dt)
    })
  }
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, v]) => `    ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
  return [
    `  busy ${(total / 1e6).toFixed(1)} s of CPU (besides ${(startup / 1e6).toFixed(1)} s compiling the response serializers before /readyz); self time by package or directory:`, ...rows(byPlace),
    '  self time by function:', ...rows(byFunction),
    "  Patron's functions, time with what they call:", ...rows(inclusive),
  ]
}
