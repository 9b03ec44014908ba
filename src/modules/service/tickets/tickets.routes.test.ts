import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { useTestContext, type TestContext } from '../../../../test/context.js'

const context = useTestContext()
let t: TestContext
const cookies: Record<string, string> = {}
let category: string
let memberId: string

beforeAll(async () => {
  t = await context()
  for (const who of ['hq_admin', 'service_agent', 'cashier', 'analyst', 'managerB', 'store_manager']) cookies[who] = await t.login(t.users[who]!.username)
  category = (await t.services.tickets.listCategories(t.actors.hq_admin))[0]!.id
  memberId = (await t.given.member()).id
})

const as = (who: string, options: InjectOptions) => t.app.inject({ ...options, url: `/api/v1${options.url as string}`, headers: { ...options.headers, cookie: cookies[who]! } })

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')

const multipart = (content: Buffer, name = 'photo.png', field = 'file') => {
  const boundary = '----patron-ticket-photo'
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

const newTicket = async (who = 'service_agent', body: Record<string, unknown> = {}) => {
  const res = await as(who, { method: 'POST', url: '/tickets', payload: { memberId, categoryId: category, description: '收银员态度差', ...body } })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; ticketNo: string; status: string }
}

describe('intake and reading', () => {
  it('takes a ticket in (201) and reads it with its timeline', async () => {
    const d = await newTicket('cashier', { severity: 'low', channel: 'till', preferredContact: 'sms' })
    expect(d).toMatchObject({ status: 'new', ticketNo: expect.stringMatching(/^TS-\d{8}-\d{4}$/) })
    const res = await as('service_agent', { method: 'GET', url: `/tickets/${d.id}` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: d.id, severity: 'low', channel: 'till', preferredContact: 'sms', timeline: [{ kind: 'created' }] })
  })

  it.each([
    ['a missing category', { categoryId: undefined }, 'categoryId'],
    ['an unknown severity', { severity: 'urgent' }, 'severity'],
    ['a 2001-character description', { description: 'x'.repeat(2001) }, 'description'],
    ['an unknown field', { priority: 1 }, 'priority'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const res = await as('service_agent', { method: 'POST', url: '/tickets', payload: { memberId, categoryId: category, description: '价签错误', ...body } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.map((d: { field: string }) => d.field).join(' ')).toContain(field)
  })

  it('refuses what a role may not do (403)', async () => {
    const d = await newTicket()
    expect((await as('analyst', { method: 'POST', url: '/tickets', payload: { memberId, categoryId: category, description: '环境脏乱' } })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: `/tickets/${d.id}/take` })).statusCode).toBe(403)
    expect((await as('cashier', { method: 'POST', url: `/tickets/${d.id}/compensations`, payload: { kind: 'points', points: 10, requestKey: 'k' } })).statusCode).toBe(403)
    expect((await as('service_agent', { method: 'PUT', url: '/service/settings', payload: { followUpDays: 5 } })).statusCode).toBe(403)
    expect((await as('managerB', { method: 'GET', url: `/tickets/${d.id}` })).statusCode).toBe(403)
    expect((await as('managerB', { method: 'GET', url: `/tickets?storeId=${t.stores.a}` })).statusCode).toBe(403)
  })

  it('answers 409 TICKET_TAKEN naming who has it', async () => {
    const d = await newTicket()
    expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/take` })).statusCode).toBe(200)
    const res = await as('store_manager', { method: 'POST', url: `/tickets/${d.id}/take` })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'TICKET_TAKEN', details: [{ field: 'assigneeId', reason: expect.stringContaining(t.users.service_agent!.username) }] })
  })

  it('lists a member\'s tickets and the follow-up calls to make', async () => {
    const d = await newTicket()
    const mine = await as('service_agent', { method: 'GET', url: `/members/${memberId}/tickets` })
    expect(mine.statusCode).toBe(200)
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(d.id)
    expect((await as('service_agent', { method: 'GET', url: '/members/mem_nope/tickets' })).statusCode).toBe(404)
    await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/resolve`, payload: { outcome: '已更换' } })
    const tasks = await as('service_agent', { method: 'GET', url: '/service/follow-ups?limit=200' })
    expect(tasks.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ ticketId: d.id, ticketNo: d.ticketNo, doneAt: null })]))
  })

  it('lists a queue as a page', async () => {
    await newTicket()
    const res = await as('service_agent', { method: 'GET', url: '/tickets?queue=unassigned&limit=1' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ items: [expect.objectContaining({ status: 'new' })], nextCursor: expect.any(String) })
    expect((await as('service_agent', { method: 'GET', url: '/tickets?queue=nobody' })).statusCode).toBe(400)
  })
})

describe('photos', () => {
  it('stores a PNG and a GIF and serves them back with their type', async () => {
    const d = await newTicket()
    const up = await as('cashier', { method: 'POST', url: `/tickets/${d.id}/photos`, ...multipart(PNG) })
    expect(up.statusCode).toBe(201)
    expect(up.json()).toMatchObject({ contentType: 'image/png', size: PNG.length })
    const gif = await as('cashier', { method: 'POST', url: `/tickets/${d.id}/photos`, ...multipart(GIF, 'a.png') })
    expect(gif.json()).toMatchObject({ contentType: 'image/gif' })
    const got = await as('service_agent', { method: 'GET', url: `/tickets/${d.id}/photos/${up.json().id}` })
    expect(got.statusCode).toBe(200)
    expect(got.headers['content-type']).toBe('image/png')
    expect(got.rawPayload.equals(PNG)).toBe(true)
    expect((await as('service_agent', { method: 'GET', url: `/tickets/${d.id}` })).json().photos).toHaveLength(2)
    expect((await as('service_agent', { method: 'GET', url: `/tickets/${d.id}/photos/tph_nope` })).statusCode).toBe(404)
  })

  it.each([
    ['a PDF named .png', 415, 'TICKET_PHOTO_TYPE', PDF],
    ['plain text', 415, 'TICKET_PHOTO_TYPE', Buffer.from('not an image at all')],
    ['a 6 MB PNG', 413, 'TICKET_PHOTO_TOO_LARGE', Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)])],
    ['an empty file', 422, 'TICKET_PHOTO_MISSING', Buffer.alloc(0)],
  ])('refuses %s (%i %s) and stores nothing', async (_name, status, code, content) => {
    const d = await newTicket()
    const res = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/photos`, ...multipart(content) })
    expect(res.statusCode).toBe(status)
    expect(res.json().error).toMatchObject({ code, details: [{ field: 'file' }] })
    expect((await as('service_agent', { method: 'GET', url: `/tickets/${d.id}` })).json().photos).toHaveLength(0)
  })

  it('refuses a seventh photo and a body that is not multipart', async () => {
    const d = await newTicket()
    for (let i = 0; i < 6; i++) expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/photos`, ...multipart(PNG) })).statusCode).toBe(201)
    const seventh = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/photos`, ...multipart(PNG) })
    expect(seventh.statusCode).toBe(422)
    expect(seventh.json().error.code).toBe('TICKET_PHOTO_LIMIT')
    const json = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/photos`, payload: { file: 'x' } })
    expect(json.statusCode).toBeGreaterThanOrEqual(400)
    expect(json.statusCode).toBeLessThan(500)
  })
})

describe('compensation, resolution and follow-up over HTTP', () => {
  it('grants once for the same requestKey, resolves and records the follow-up', async () => {
    const d = await newTicket()
    const body = { kind: 'points', points: 50, requestKey: 'dbl-1' }
    const [a, b] = await Promise.all([
      as('service_agent', { method: 'POST', url: `/tickets/${d.id}/compensations`, payload: body }),
      as('service_agent', { method: 'POST', url: `/tickets/${d.id}/compensations`, payload: body }),
    ])
    expect([a.statusCode, b.statusCode]).toEqual([201, 201])
    expect(a.json().id).toBe(b.json().id)
    const over = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/compensations`, payload: { kind: 'points', points: 5000, requestKey: 'big' } })
    expect(over.statusCode).toBe(422)
    expect(over.json().error).toMatchObject({ code: 'COMPENSATION_LIMIT', details: [{ field: 'points' }] })
    expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/resolve`, payload: { outcome: '' } })).statusCode).toBe(400)
    expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/resolve`, payload: { outcome: '已致歉并补偿积分' } })).json().status).toBe('resolved')
    expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/follow-up`, payload: { reached: true, satisfaction: 6 } })).statusCode).toBe(400)
    const done = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/follow-up`, payload: { reached: true, satisfaction: 4, comment: '满意' } })
    expect(done.json()).toMatchObject({ status: 'closed', followUps: [{ satisfaction: 4, reached: true }] })
  })

  it('needs a reason to reassign (422 with the field)', async () => {
    const d = await newTicket('service_agent', { storeId: undefined })
    const team = await t.services.tickets.createTeam(t.actors.hq_admin, { name: '食品安全组', kind: 'food_safety' })
    const other = await t.services.tickets.createTeam(t.actors.hq_admin, { name: '法务', kind: 'legal' })
    expect((await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/assign`, payload: { teamId: team.id } })).statusCode).toBe(200)
    const res = await as('service_agent', { method: 'POST', url: `/tickets/${d.id}/assign`, payload: { teamId: other.id } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({ code: 'TICKET_REASON_REQUIRED', details: [{ field: 'reason' }] })
  })
})

describe('configuration and reports', () => {
  it('reads and changes the settings, refusing bad values', async () => {
    const res = await as('hq_admin', { method: 'PUT', url: '/service/settings', payload: { followUpDays: 5, escalationChain: ['store_manager', 'hq'], holidays: ['2026-10-01'] } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ followUpDays: 5, escalationChain: ['store_manager', 'hq'], holidays: ['2026-10-01'] })
    expect((await as('hq_admin', { method: 'PUT', url: '/service/settings', payload: { escalationChain: ['boss'] } })).statusCode).toBe(400)
    expect((await as('hq_admin', { method: 'PUT', url: '/service/settings', payload: { compensationLimits: { janitor: { maxPoints: 1, maxCouponValue: 1 } } } })).statusCode).toBe(422)
    expect((await as('cashier', { method: 'GET', url: '/service/settings' })).statusCode).toBe(403)
  })

  it('manages teams and the category tree', async () => {
    const team = await as('hq_admin', { method: 'POST', url: '/service/teams', payload: { name: '客服中心', kind: 'desk', leadUserId: t.users.service_agent!.id, workingHours: { mon: [['09:00', '18:00']] } } })
    expect(team.statusCode).toBe(201)
    expect(team.json()).toMatchObject({ leadName: expect.any(String), members: [{ userId: t.users.service_agent!.id }] })
    const bad = await as('hq_admin', { method: 'POST', url: '/service/teams', payload: { name: 'x', kind: 'desk', workingHours: { mon: [['25:00', '18:00']] } } })
    expect(bad.statusCode).toBe(400)
    const cat = await as('hq_admin', { method: 'POST', url: '/service/categories', payload: { parentId: category, name: '过期', nameEn: 'Expired' } })
    expect(cat.statusCode).toBe(201)
    expect((await as('service_agent', { method: 'GET', url: '/service/categories' })).json().map((c: { id: string }) => c.id)).toContain(cat.json().id)
    // A cashier logs complaints at the till, so picks a category, but reads no tickets.
    expect((await as('cashier', { method: 'GET', url: '/service/categories' })).json().map((c: { id: string }) => c.id)).toContain(cat.json().id)
    expect((await as('cashier', { method: 'GET', url: '/tickets' })).statusCode).toBe(403)
    expect((await as('hq_admin', { method: 'PATCH', url: `/service/categories/${cat.json().id}`, payload: { parentId: 'scg_nope' } })).statusCode).toBe(404)
    const policies = await as('hq_admin', { method: 'PUT', url: '/service/sla-policies', payload: { policies: [{ categoryId: cat.json().id, severity: 'high', firstResponseMinutes: 10, resolutionMinutes: 60 }] } })
    expect(policies.statusCode).toBe(200)
    const own = policies.json().find((p: { categoryId: string | null }) => p.categoryId === cat.json().id)
    expect((await as('hq_admin', { method: 'DELETE', url: `/service/sla-policies/${own.id}` })).statusCode).toBe(200)
    const dflt = policies.json().find((p: { categoryId: string | null }) => p.categoryId === null)
    expect((await as('hq_admin', { method: 'DELETE', url: `/service/sla-policies/${dflt.id}` })).statusCode).toBe(409)
  })

  it('answers the report and its workbook; refuses a bad period', async () => {
    const res = await as('store_manager', { method: 'GET', url: '/service/reports?from=2026-03-01&to=2026-03-31&period=week' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ from: '2026-03-01', to: '2026-03-31', period: 'week', total: expect.any(Number) })
    expect((await as('hq_admin', { method: 'GET', url: '/service/reports?from=2026-04-01&to=2026-03-01' })).statusCode).toBe(422)
    expect((await as('store_manager', { method: 'GET', url: `/service/reports?storeId=${t.stores.b}` })).statusCode).toBe(403)
    const xlsx = await as('hq_admin', { method: 'GET', url: '/service/reports/export.xlsx?from=2026-03-01&to=2026-03-31&lang=zh-CN' })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((s) => s.name)).toContain('按类别')
  })
})
