import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const RESULTS = 'test-results/e2e'
const ANALYST = { username: 'analyst', password: 'Demo#2026' }

type Reason =
  | { kind: 'repeat'; days: number; lastDate: string }
  | { kind: 'together' | 'similar'; productId: string; sku: string; name: string }
  | { kind: 'popular'; rank: number }
interface Item { productId: string; sku: string; name: string; listPrice: number; memberPrice: number | null; soldByWeight: boolean; reason: Reason }
interface Model { id: string; builtAt: string; from: string; to: string; baskets: number; members: number; products: number; neighbours: number }
interface Suggestions { model: Model | null; items: Item[] }
interface MemberRow { id: string; cardNo: string; name: string | null }

const apiAs = async (who: { username: string; password: string }) => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  return async <T>(path: string): Promise<T> => {
    const res = await fetch(`${b.baseUrl}${path}`, { headers: { cookie } })
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
}

const shot = async (page: Page, name: string) => {
  mkdirSync(RESULTS, { recursive: true })
  await page.waitForTimeout(500)
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true })
}

const openInsight = (page: Page, menu: string) => openMenu(page, '洞察', menu)

/** The chain's wall clock (the console shows times in Asia/Shanghai): 2026-03-02 10:00. */
const chainTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
const count = (n: number) => n.toLocaleString('en-US')
/** What the member pays, as the console writes it: per kilogram for goods sold by weight. */
const priceOf = (i: Item) => {
  const fen = i.memberPrice !== null && i.memberPrice < i.listPrice ? i.memberPrice : i.listPrice
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${i.soldByWeight ? '/kg' : ''}`
}

const zhReason = (r: Reason) => {
  switch (r.kind) {
    case 'repeat': return r.days === 1 ? `买过（最近 ${r.lastDate}）` : `常买（近一年 ${count(r.days)} 天，最近 ${r.lastDate}）`
    case 'together': return `常与「${r.name}」一起购买`
    case 'similar': return `买「${r.name}」的会员也买`
    case 'popular': return `全店热销第 ${count(r.rank)}`
  }
}

/** The first of the top five sold by the piece (a weighed one asks for the scale). */
const pieceOf = async (items: Item[]): Promise<Item | undefined> => {
  for (const i of items.slice(0, 5)) {
    const product = await asAdmin<{ soldByWeight: boolean }>(`/api/v1/products/by-sku/${encodeURIComponent(i.sku)}`)
    if (!product.soldByWeight) return i
  }
  return undefined
}

// A demo member whose suggestions speak of their own purchases (bought often) and of the model
// (bought together, or by members who buy the same), and one of whose top five is sold by the piece.
let member: MemberRow
let suggestions: Suggestions
let asAdmin: Awaited<ReturnType<typeof apiAs>>

beforeAll(async () => {
  asAdmin = await apiAs(DEMO.admin)
  const { items } = await asAdmin<{ items: MemberRow[] }>('/api/v1/members?status=active&limit=200')
  for (const m of items) {
    const s = await asAdmin<Suggestions>(`/api/v1/members/${m.id}/recommendations`)
    const kinds = new Set(s.items.map((i) => i.reason.kind))
    if (!kinds.has('repeat') || !(kinds.has('together') || kinds.has('similar'))) continue
    if (!(await pieceOf(s.items))) continue
    member = m
    suggestions = s
    break
  }
  expect(member, 'a demo member with suggestions from their own purchases and from the model').toBeDefined()
  expect(suggestions.model).not.toBeNull()
})

describe('recommendations in the console', () => {
  it('shows a member’s suggestions with their reasons in words on the member page', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-insight').click()
    const model = suggestions.model!
    const card = page.getByTestId('member-recommendations')
    await card.waitFor()
    await expect.poll(() => card.locator('tbody tr.ant-table-row').count()).toBe(suggestions.items.length)
    expect(await card.textContent()).toContain('为TA推荐')
    expect(await page.getByTestId('member-recommendations-model').textContent())
      .toBe(`推荐模型构建于 ${chainTime(model.builtAt)}（${model.from} 至 ${model.to} 的销售） · 会员近 7 天内买过的商品不推荐；已停售的商品从不推荐。`)
    // every row in the API's order, with its reason in Chinese
    const rows = await card.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))
    expect(rows).toEqual(suggestions.items.map((i) => `member-recommendation-${i.sku}`))
    for (const item of suggestions.items) {
      expect(await page.getByTestId(`member-recommendation-reason-${item.sku}`).textContent()).toBe(zhReason(item.reason))
      expect(await page.getByTestId(`member-recommendation-${item.sku}`).textContent()).toContain(item.name)
    }
    const repeat = suggestions.items.find((i) => i.reason.kind === 'repeat')!
    // bought on one day only reads as bought once, not often
    expect(await page.getByTestId(`member-recommendation-reason-${repeat.sku}`).textContent())
      .toMatch(repeat.reason.kind === 'repeat' && repeat.reason.days === 1 ? /^买过（最近 \d{4}-\d{2}-\d{2}）$/ : /^常买（近一年 \d+ 天，最近 \d{4}-\d{2}-\d{2}）$/)
    // a member price where there is one, else the list price; per kilogram for goods sold by weight
    for (const item of suggestions.items) {
      expect(await page.getByTestId(`member-recommendation-price-${item.sku}`).textContent()).toBe(priceOf(item))
    }
    // the definitions one hover away
    await page.getByTestId('member-recommendations-help').hover()
    await expect.poll(() => page.getByTestId('member-recommendations-help-text').textContent()).toContain('常一起购买')
    await card.scrollIntoViewIfNeeded()
    await shot(page, 'recommendations-member-zh')
  })

  it('shows the model, rebuilds it and follows the job until the new model is served, then reads in English', async () => {
    const asAnalyst = await apiAs(ANALYST)
    const before = (await asAnalyst<{ model: Model | null }>('/api/v1/insight/recommendations/model')).model!
    const page = await b.page()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, ANALYST)
    await openInsight(page, '个性化推荐')
    await page.getByTestId('recommendations-page').waitFor()
    await expect.poll(() => page.getByTestId('recommendations-built-at').textContent()).toBe(chainTime(before.builtAt))
    expect(await page.getByTestId('recommendations-baskets').textContent()).toBe(count(before.baskets))
    expect(await page.getByTestId('recommendations-neighbours').textContent()).toBe(count(before.neighbours))
    const text = (await page.getByTestId('recommendations-page').textContent())!
    for (const words of ['推荐模型', '余弦相似度', '最相似的 20 个商品', '少于 2 个购物篮', '近 90 天', '66.2%', '17.6%', '36.1%', '3.6%', '7.5%', '5.3%', '7.3%', '5.1%', '2,845 位客户', '2,311 户家庭']) {
      expect(text, words).toContain(words)
    }
    await shot(page, 'recommendations-page-zh')

    // Rebuild: the job is queued, the page waits for its model and shows it.
    await page.getByTestId('recommendations-build').click()
    await page.getByTestId('recommendations-build-ok').click()
    await page.getByText('推荐模型已更新').waitFor({ timeout: 30_000 })
    const after = (await asAnalyst<{ model: Model | null }>('/api/v1/insight/recommendations/model')).model!
    expect(after.id).not.toBe(before.id)
    expect(Date.parse(after.builtAt)).toBeGreaterThan(Date.parse(before.builtAt))
    await expect.poll(() => page.getByTestId('recommendations-built-at').textContent()).toBe(chainTime(after.builtAt))
    expect(await page.getByTestId('recommendations-building').count()).toBe(0)

    // Any member's suggestions, by card number.
    await page.getByTestId('recommendations-try-input').locator('input').fill(member.cardNo)
    await page.getByTestId('recommendations-try-input').locator('input').press('Enter')
    const card = page.getByTestId('member-recommendations')
    await expect.poll(() => card.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('recommendations-try-member').textContent()).toContain(member.cardNo)
    await shot(page, 'recommendations-page-try-zh')

    await page.evaluate(() => localStorage.setItem('patron.language', 'en-US'))
    await page.reload()
    await page.getByTestId('recommendations-model').waitFor()
    await expect.poll(() => page.getByTestId('recommendations-built-at').textContent()).toBe(chainTime(after.builtAt))
    expect(await page.getByTestId('recommendations-title').textContent()).toContain('Recommendations')
    const english = (await page.getByTestId('recommendations-page').textContent())!
    for (const words of ['Recommendation model', 'Neighbour pairs', 'Rebuild now', 'cosine similarity', 'Offline validation', 'Hit rate', 'Recall@10', '2,845 customers', 'Most popular']) {
      expect(english, words).toContain(words)
    }
    expect(english).not.toMatch(/推荐|购物篮|余弦/)
    await shot(page, 'recommendations-page-en')
  })

  it('offers a cashier the member’s suggestions at the till, and a click puts one in the basket', async () => {
    const page = await b.page()
    await signIn(page, DEMO.cashier)
    await page.getByTestId('side-menu').getByText('收银台').click()
    await page.getByTestId('till-member-input').fill(member.cardNo)
    await page.getByTestId('till-member-input').press('Enter')
    await page.getByTestId('till-member').waitFor()
    const list = page.getByTestId('till-suggestions')
    await list.waitFor()
    expect(await list.textContent()).toContain('推荐商品')
    // the suggestions of the model rebuilt above, the top five of them shown
    const fresh = await asAdmin<Suggestions>(`/api/v1/members/${member.id}/recommendations`)
    const shown = fresh.items.slice(0, 5)
    await expect.poll(() => list.locator('[data-testid^=till-suggestion-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))))
      .toEqual(shown.map((i) => `till-suggestion-${i.sku}`))
    // each with its price, per kilogram for goods sold by weight
    for (const i of shown) expect(await page.getByTestId(`till-offer-${i.sku}`).textContent()).toBe(priceOf(i))
    const item = (await pieceOf(shown))!
    expect(item).toBeDefined()
    await page.getByTestId(`till-suggestion-${item.sku}`).click()
    await page.getByTestId('till-basket').getByText(item.name).waitFor()
    await page.locator('[data-testid=till-quote][data-stale=false]').waitFor()
    expect(await page.locator(`[data-testid=till-line-quantity-${item.sku}] input, input[data-testid=till-line-quantity-${item.sku}]`).first().inputValue()).toBe('1')
    // what is in the basket is suggested no more: the next one takes its place
    await expect.poll(() => page.getByTestId(`till-suggestion-${item.sku}`).count()).toBe(0)
    if (fresh.items.length > 5) await page.getByTestId(`till-suggestion-${fresh.items[5]!.sku}`).waitFor()
    // one sold by weight is weighed at the scale: the till says so and adds nothing
    for (const other of shown.filter((i) => i.sku !== item.sku)) {
      const product = await asAdmin<{ soldByWeight: boolean }>(`/api/v1/products/by-sku/${encodeURIComponent(other.sku)}`)
      if (!product.soldByWeight) continue
      await page.getByTestId(`till-suggestion-${other.sku}`).click()
      await page.getByText(`「${other.name}」是称重商品：请称重后扫描秤签`).waitFor()
      expect(await page.getByTestId('till-basket').locator('tbody tr.ant-table-row').count()).toBe(1)
      break
    }
    await shot(page, 'recommendations-till-zh')
  })
})
