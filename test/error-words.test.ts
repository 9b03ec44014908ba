import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The fuzz test (api-fuzz.test.ts) checks the codes it happens to meet; this reads every code the
// server's source raises (notFound('X'), conflict('X'), unprocessable('X'), forbidden('X')), so a
// code only a rare path raises (a KPI target deleted meanwhile, a refresh's as-of date) is not
// shown to a user as its bare code either.
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : []
  })

const raised = new Set(sourceFiles('src').flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/\b(?:notFound|conflict|unprocessable|forbidden)\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!)))

const keysOf = (lang: string) => new Set([...readFileSync(`web/src/i18n/locales/${lang}/errors.ts`, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!))

describe('error codes in words', () => {
  it('finds the codes the server raises', () => {
    expect(raised.size).toBeGreaterThan(50)
    expect(raised).toContain('KPI_TARGET_NOT_FOUND')
  })

  it.each(['zh-CN', 'en-US'])('has words in %s for every code the server raises', (lang) => {
    const words = keysOf(lang)
    expect([...raised].filter((code) => !words.has(code)).sort()).toEqual([])
  })
})
