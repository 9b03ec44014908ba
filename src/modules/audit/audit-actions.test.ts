import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from './audit-actions.js'

const SRC = join(import.meta.dirname, '..', '..')

const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
  const path = join(dir, d.name)
  if (d.isDirectory()) return sources(path)
  return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : []
})

/** The argument text of every `audit.record(` call: up to its closing parenthesis. */
const recordCalls = (text: string): string[] => {
  const calls: string[] = []
  // `audit?.record(` too: a service whose audit is optional records all the same.
  for (const m of text.matchAll(/audit\??\.record\(/g)) {
    const i = m.index
    let depth = 0
    let j = i + m[0].length - 1
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++
      else if (text[j] === ')' && --depth === 0) break
    }
    calls.push(text.slice(i, j + 1))
  }
  return calls
}

/**
 * Calls whose action is a variable (a helper records one of several): the actions it may be, each
 * of which must appear as a literal in that file.
 */
const VARIABLE_ACTIONS: Record<string, string[]> = {
  'modules/members/members.service.ts': ['member.lookup.limited', 'member.lookup.alert'],
}

/** What the code records: each call's action and entity type, written as literals. */
const recorded = sources(SRC).flatMap((file) => { const text = readFileSync(file, 'utf8'); return recordCalls(text).map((call) => {
  const action = /action(?::\s*([^\n]*?))?,\s*entityType:/s.exec(call)?.[1] ?? ''
  const where = relative(SRC, file)
  const variable = action === '' ? (VARIABLE_ACTIONS[where] ?? []).filter((a) => text.includes(`'${a}'`)) : []
  return {
    where,
    call: call.slice(0, 160),
    actions: [...variable, ...[...action.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)].map((m) => m[1]!)],
    dynamic: action.includes('`'),
    entityTypes: [...(/entityType:\s*([^\n]*?),\s*(?:entityId|changes|storeId)/s.exec(call)?.[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!)
      .filter((t) => !['staff', 'pos', 'system'].includes(t)), // an actor kind compared in a condition
  }
}) })

describe('the actions the code records', () => {
  it('finds the calls (the scan works)', () => {
    expect(recorded.length).toBeGreaterThan(50)
    expect(recorded.flatMap((r) => r.actions)).toEqual(expect.arrayContaining(['member.register', 'draw.enter', 'gift_order.cancel']))
  })

  it.each(recorded.map((r) => [`${r.where}: ${r.call.replace(/\s+/g, ' ')}`, r] as const))('names a listed action and entity type as literals: %s', (_label, r) => {
    expect(r.dynamic, 'write the action as a string literal, so it can be listed and worded').toBe(false)
    expect(r.actions.length, 'no action literal found').toBeGreaterThan(0)
    for (const action of r.actions) expect(AUDIT_ACTIONS, `add ${action} to AUDIT_ACTIONS and word it in the console`).toContain(action)
    expect(r.entityTypes.length, 'no entity type literal found').toBeGreaterThan(0)
    for (const type of r.entityTypes) expect(AUDIT_ENTITY_TYPES).toContain(type)
  })

  it('lists no action the code no longer records', () => {
    const used = new Set(recorded.flatMap((r) => r.actions))
    expect(AUDIT_ACTIONS.filter((a) => !used.has(a))).toEqual([])
  })
})
