import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { choose, DEMO, openMenu, signIn, useBrowser } from './browser.js'

const b = useBrowser()
const tail = String(Date.now()).slice(-6)
const title = `门店满意度调查${tail}`
const SHOTS = 'test-results/e2e'

let cookie = ''
const apiCall = async (method: string, path: string, body?: unknown, withCookie = true) => {
  const res = await fetch(`${b.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(withCookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, any> }
}

const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/surveys-${name}.png`, fullPage: true })
}

beforeAll(async () => {
  const login = await fetch(`${b.baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO.admin),
  })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
})

describe('satisfaction surveys in the console and on the public page', () => {
  it('builds a survey with CSAT and NPS questions, opens it, answers it on a phone through a store link and shows the NPS and CSAT', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await openMenu(page, '服务', '满意度调查')
    await page.getByTestId('surveys-table').waitFor()

    // The builder starts with a CSAT rating, an NPS question, the four-area matrix and free text.
    await page.getByTestId('survey-create').click()
    await page.getByTestId('survey-title').fill(title)
    await page.getByTestId('survey-title-en').fill(`Store satisfaction ${tail}`)
    await expect.poll(() => page.getByTestId('survey-question-2').textContent()).toContain('矩阵评分')
    expect(await page.getByTestId('survey-question-2-row-0').inputValue()).toBe('商品质量')
    expect(await page.getByTestId('survey-question-2-row-3').inputValue()).toBe('购物环境')
    // A single-choice question, added, worded and moved above the free text.
    await page.getByTestId('survey-add-single').click()
    await page.getByTestId('survey-question-4-label').fill('您通常怎么来店？')
    await page.getByTestId('survey-question-4-choice-0').fill('步行')
    await page.getByTestId('survey-question-4-choice-1').fill('开车')
    await page.getByTestId('survey-question-4-required').click()
    await page.getByTestId('survey-question-4-up').click()
    expect(await page.getByTestId('survey-question-3').textContent()).toContain('单选题')
    // The NPS question first.
    await page.getByTestId('survey-question-1-up').click()
    expect(await page.getByTestId('survey-question-0').textContent()).toContain('推荐意愿')
    await page.getByTestId('survey-preview-open').click()
    await page.getByTestId('survey-preview').getByTestId('preview-q2-10').waitFor()
    await shot(page, 'builder-preview')
    await page.keyboard.press('Escape')
    await shot(page, 'builder')
    await page.getByTestId('survey-save').click()

    await page.getByTestId('survey-page').waitFor()
    const id = new URL(page.url()).pathname.split('/').pop()!
    const saved = (await apiCall('GET', `/api/v1/surveys/${id}`)).json
    expect(saved).toMatchObject({ title, status: 'draft', allowAnonymous: true })
    expect(saved.questions.map((q: { kind: string }) => q.kind)).toEqual(['nps', 'rating', 'matrix', 'single', 'text'])
    const [nps, csat, matrix, single] = saved.questions as Array<{ id: string; rows?: Array<{ id: string }>; choices?: Array<{ id: string }> }>

    await page.getByTestId('survey-open').click()
    await page.getByTestId('survey-open-confirm').click()
    await expect.poll(() => page.getByTestId('survey-status').textContent()).toBe('进行中')

    // Distribution: a link and QR code per store; a poster to print.
    await page.getByTestId('survey-tabs').getByRole('tab', { name: '发放' }).click()
    await page.getByTestId('survey-links').locator('tbody tr.ant-table-row').first().waitFor()
    const links = (await apiCall('GET', `/api/v1/surveys/${id}/links`)).json as unknown as Array<{ token: string; storeId: string | null; storeCode: string | null; storeName: string | null; path: string }>
    const store = links.find((l) => l.storeId !== null)!
    const href = await page.getByTestId(`survey-public-link-${store.storeCode}`).getAttribute('href')
    expect(href).toBe(`/s/${store.token}`)
    await shot(page, 'distribution')
    await page.getByTestId(`survey-poster-${store.storeCode}`).click()
    await page.getByTestId('survey-poster').locator('svg').first().waitFor()
    await shot(page, 'poster')
    await page.getByTestId('survey-poster-close').click()

    // The public page on a phone, signed out.
    await page.context().clearCookies()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(href!)
    await page.getByTestId('public-survey-title').waitFor()
    expect(await page.getByTestId('public-survey-title').textContent()).toBe(title)
    expect(await page.getByTestId('public-survey').textContent()).toContain(store.storeName!)
    // Required questions left unanswered are marked, nothing is sent.
    await page.getByTestId('public-survey-submit').click()
    await page.getByTestId('public-survey-missing').waitFor()
    await shot(page, 'public-missing')
    // The language switch shows the English words.
    await page.getByTestId('public-survey-language').click()
    await expect.poll(() => page.getByTestId('public-survey-title').textContent()).toBe(`Store satisfaction ${tail}`)
    await page.getByTestId('public-survey-language').click()

    await page.getByTestId(`public-answer-${nps!.id}-9`).click()
    await page.getByTestId(`public-answer-${csat!.id}-5`).click()
    for (const row of matrix!.rows!) await page.getByTestId(`public-answer-${matrix!.id}-${row.id}-4`).click()
    await page.getByTestId(`public-answer-${single!.id}-${single!.choices![0]!.id}`).click()
    await page.getByTestId(`public-answer-${saved.questions[4].id}`).fill('收银排队时间太长，希望高峰时多开收银台')
    await shot(page, 'public-answering')
    await page.getByTestId('public-survey-submit').click()
    await page.getByTestId('public-survey-thanks').waitFor()
    await shot(page, 'public-thanks')

    // Three more answers through the public API; a post repeated with its key is stored once.
    const post = (key: string, npsScore: number, rating: number, text?: string) => apiCall('POST', `/api/v1/public/surveys/${store.token}/responses`, {
      responseKey: key, language: 'zh-CN',
      answers: [{ questionId: nps!.id, value: npsScore }, { questionId: csat!.id, value: rating }, { questionId: matrix!.id, rows: matrix!.rows!.map((r) => ({ rowId: r.id, value: 3 })) }, ...(text ? [{ questionId: saved.questions[4].id, text }] : [])],
    }, false)
    expect((await post(`e2e-${tail}-a`, 10, 4, '收银台太少，排队很久')).status).toBe(201)
    expect((await post(`e2e-${tail}-b`, 3, 2, '停车不方便')).status).toBe(201)
    expect((await post(`e2e-${tail}-b`, 3, 2, '停车不方便')).status).toBe(409)
    expect((await post(`e2e-${tail}-c`, 7, 3)).status).toBe(201)
    // Out of range: refused.
    expect((await post(`e2e-${tail}-d`, 11, 3)).status).toBe(422)

    // NPS of 9, 10, 3, 7: two promoters, one passive, one detractor = +25; CSAT of 5, 4, 2, 3: 50.0%.
    await page.setViewportSize({ width: 1400, height: 900 })
    await signIn(page, DEMO.admin)
    await page.goto(`/service/surveys/${id}?tab=results`)
    await page.getByTestId('survey-results').waitFor()
    await expect.poll(() => page.getByTestId('survey-nps').locator('.ant-statistic-content').textContent()).toBe('+25')
    expect(await page.getByTestId('survey-csat').locator('.ant-statistic-content').textContent()).toBe('50.0%')
    expect(await page.getByTestId('survey-responses').locator('.ant-statistic-content').textContent()).toBe('4')
    expect(await page.getByTestId('survey-nps-promoters').textContent()).toContain('2 · 50.0%')
    expect(await page.getByTestId('survey-nps-passives').textContent()).toContain('1 · 25.0%')
    expect(await page.getByTestId('survey-nps-detractors').textContent()).toContain('1 · 25.0%')
    expect(await page.getByTestId('survey-definitions').textContent()).toContain('推荐者（9–10 分）')
    const results = (await apiCall('GET', `/api/v1/surveys/${id}/results`)).json
    expect(results.nps).toMatchObject({ promoters: 2, passives: 1, detractors: 1, score: 25 })
    expect(results.csat).toMatchObject({ rate: 50 })
    await page.getByTestId('survey-texts').locator('tbody tr.ant-table-row').first().waitFor()
    await page.getByTestId('survey-words').locator('.ant-tag').first().waitFor()
    expect(await page.getByTestId('survey-words').textContent()).toContain('收银台')
    await page.waitForTimeout(800)
    await shot(page, 'results')
    const exported = await fetch(`${b.baseUrl}/api/v1/surveys/${id}/results/export.xlsx`, { headers: { cookie } })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-type')).toContain('spreadsheetml')

    // The list shows the survey's figures.
    await page.goto('/service/surveys')
    const row = page.getByTestId('surveys-table').locator('tr', { hasText: title })
    await expect.poll(() => row.textContent()).toContain('+25')
    expect(await row.textContent()).toContain('50.0%')
    await shot(page, 'list')

    // Closed: the public page says so.
    await page.goto(`/service/surveys/${id}`)
    await page.getByTestId('survey-close').click()
    await page.getByTestId('survey-close-confirm').click()
    await expect.poll(() => page.getByTestId('survey-status').textContent()).toBe('已结束')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(href!)
    await page.getByTestId('public-survey-unavailable').waitFor()
    expect(await page.getByTestId('public-survey-unavailable').textContent()).toContain('本调查已结束')
    await shot(page, 'public-closed')
  })
})

describe('the suggestion box', () => {
  it('records a suggestion at the desk, adopts it with what changed and shows it in the monthly counts and the adopted list', async () => {
    const page = await b.page()
    await signIn(page, DEMO.admin)
    await page.goto('/service/suggestions')
    await page.getByTestId('suggestions-table').waitFor()
    const text = `希望增加无糖饮料的品种${tail}`
    await page.getByTestId('suggestion-create').click()
    await choose(page, page.getByTestId('suggestion-category'), '商品品类')
    await page.getByTestId('suggestion-text').fill(text)
    await page.getByTestId('suggestion-new-submit').click()

    const drawer = page.getByTestId('suggestion-drawer')
    await drawer.getByTestId('suggestion-triage').waitFor()
    expect(await drawer.textContent()).toContain(text)
    await choose(page, drawer.getByTestId('suggestion-status-select'), '已采纳')
    await drawer.getByTestId('suggestion-change-note').fill('饮料区新增 12 款无糖饮料')
    await drawer.getByTestId('suggestion-reply').fill('感谢建议，已上架')
    await drawer.getByTestId('suggestion-save').click()
    await expect.poll(() => drawer.getByTestId('suggestion-status').textContent()).toBe('已采纳')
    await shot(page, 'suggestion-drawer')
    await page.keyboard.press('Escape')

    const list = (await apiCall('GET', `/api/v1/suggestions?q=${encodeURIComponent(text)}`)).json
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({ status: 'adopted', category: 'productsRange', changeNote: '饮料区新增 12 款无糖饮料', reply: '感谢建议，已上架', channel: 'desk' })
    await expect.poll(() => page.getByTestId('suggestions-table').textContent()).toContain(text)
    await shot(page, 'suggestions')

    await page.getByTestId('suggestions-tabs').getByRole('tab', { name: '月度统计' }).click()
    await page.getByTestId('suggestions-by-category').waitFor()
    await page.waitForTimeout(800)
    await shot(page, 'suggestion-stats')
    await page.getByTestId('suggestions-tabs').getByRole('tab', { name: '已采纳' }).click()
    await expect.poll(() => page.getByTestId('suggestions-adopted').textContent()).toContain('饮料区新增 12 款无糖饮料')
    await shot(page, 'suggestions-adopted')

    // A member's suggestion, taken at the desk by card number, shows on the member's 服务 tab.
    const member = (await apiCall('GET', '/api/v1/members?status=active&limit=1')).json.items[0] as { id: string; cardNo: string }
    await page.getByTestId('suggestion-create').click()
    await page.getByTestId('suggestion-member-key').fill(member.cardNo)
    await page.getByTestId('suggestion-member-find').click()
    await page.getByTestId('suggestion-member').waitFor()
    await page.getByTestId('suggestion-text').fill(`会员建议：延长营业时间${tail}`)
    await page.getByTestId('suggestion-new-submit').click()
    await page.getByTestId('suggestion-drawer').getByTestId('suggestion-status').waitFor()
    await page.goto(`/members/${member.id}`)
    await page.getByTestId('member-tab-service').click()
    await expect.poll(() => page.getByTestId('member-suggestions').textContent()).toContain(`会员建议：延长营业时间${tail}`)
    await shot(page, 'member-feedback')
  })

  it('takes a suggestion from the receipt QR on a phone, signed out, and shows it in the box with its store and channel', async () => {
    const stores = (await apiCall('GET', '/api/v1/stores')).json as unknown as Array<{ id: string; code: string; name: string; status: string }>
    const store = stores.find((s) => s.status === 'open')!
    const page = await b.page()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`/f/${store.code}`)
    const text = `收银台排队太长，希望高峰期多开几个收银台${tail}`
    // Nothing chosen: the page says what is missing and sends nothing.
    await page.getByTestId('public-suggestion-submit').click()
    await page.getByTestId('public-suggestion-error').waitFor()
    await page.getByTestId('public-suggestion-category').getByText('服务', { exact: true }).click()
    await page.getByTestId('public-suggestion-text').fill(text)
    await page.getByTestId('public-suggestion-name').fill('王女士')
    await shot(page, 'public-suggestion')
    await page.getByTestId('public-suggestion-submit').click()
    await page.getByTestId('public-suggestion-thanks').waitFor()
    await shot(page, 'public-suggestion-thanks')

    const list = (await apiCall('GET', `/api/v1/suggestions?q=${encodeURIComponent(text)}`)).json
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({ status: 'received', category: 'service', channel: 'receipt_qr', storeId: store.id })
  })
})
