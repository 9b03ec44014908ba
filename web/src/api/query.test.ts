import { QueryObserver } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { apiKey, createQueryClient, isChange, KEEP_ON_CHANGE, refreshAfterChange } from './query.js'

describe('apiKey', () => {
  it('is the path alone without parameters, else the path then the parameters', () => {
    expect(apiKey('/api/v1/stores')).toEqual(['/api/v1/stores'])
    expect(apiKey('/api/v1/members/{id}', { params: { path: { id: 'mem_1' } } })).toEqual(['/api/v1/members/{id}', { path: { id: 'mem_1' } }])
  })
})

describe('isChange', () => {
  it.each([
    ['POST', 'http://localhost/api/v1/members', true],
    ['PATCH', 'http://localhost/api/v1/members/mem_1', true],
    ['PUT', 'http://localhost/api/v1/loyalty/tiers', true],
    ['DELETE', 'http://localhost/api/v1/rebate-programmes/rbp_1', true],
    ['POST', 'http://localhost/api/v1/members/mem_1/freeze', true],
    ['GET', 'http://localhost/api/v1/members', false],
    ['POST', 'http://localhost/api/v1/members/lookup', false],
    ['POST', 'http://localhost/api/v1/members/name-search', false],
    ['POST', 'http://localhost/api/v1/members/mem_1/reveal', false],
    ['POST', 'http://localhost/api/v1/members/merge-preview', false],
    ['POST', 'http://localhost/api/v1/pos/quote', false],
    ['POST', 'http://localhost/api/v1/loyalty/earn-test', false],
    ['POST', 'http://localhost/api/v1/insight/tags/test', false],
    ['POST', 'http://localhost/api/v1/insight/tags', true],
    ['POST', 'http://localhost/api/v1/marketing/templates/preview', false],
    ['POST', 'http://localhost/api/v1/marketing/campaigns/cmp_1/submit', true],
  ])('%s %s changes data: %s', (method, url, expected) => {
    expect(isChange(method, url)).toBe(expected)
  })
})

describe('refreshAfterChange', () => {
  it('loads again the reads on screen and drops the others, so none shows data from before the change', async () => {
    const client = createQueryClient()
    let reads = 0
    const onScreen = new QueryObserver(client, { queryKey: ['/api/v1/stores'], queryFn: async () => ++reads })
    const unsubscribe = onScreen.subscribe(() => undefined)
    await client.fetchQuery({ queryKey: ['/api/v1/stores'], queryFn: async () => ++reads })
    client.setQueryData(['/api/v1/regions'], ['left from another page'])
    const before = reads

    refreshAfterChange(client)
    await new Promise((resolve) => setTimeout(resolve, 10))

    expect(reads).toBeGreaterThan(before)
    expect(client.getQueryData(['/api/v1/stores'])).toBe(reads)
    expect(client.getQueryData(['/api/v1/regions'])).toBeUndefined()
    unsubscribe()
    client.clear()
  })

  it('leaves a read marked KEEP_ON_CHANGE as it is', async () => {
    const client = createQueryClient()
    let reads = 0
    const kept = new QueryObserver(client, { queryKey: ['/api/v1/gift-orders'], queryFn: async () => ++reads, meta: KEEP_ON_CHANGE })
    const unsubscribe = kept.subscribe(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 10))
    const before = reads

    refreshAfterChange(client)
    await new Promise((resolve) => setTimeout(resolve, 10))

    expect(reads).toBe(before)
    expect(client.getQueryData(['/api/v1/gift-orders'])).toBe(before)
    unsubscribe()
    client.clear()
  })
})

