import { Type } from 'typebox'
import { badRequest, payloadTooLarge, unprocessable } from '../../../shared/errors.js'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Page, errors } from '../../../shared/http/schemas.js'
import { attachment, fileLanguage } from '../../../shared/http/table-export.js'
import {
  AssignBody, CategoryBody, CategoryPatch, CategorySchema, CloseBody, CompensationBody, CompensationSchema, FollowUpBody, FollowUpSchema,
  FollowUpTaskSchema, FollowUpsQuery, MemberTicketsQuery, NoteBody, PhotoParams, ReopenBody, ReplyBody, ReportQuery, ReportSchema, ResolveBody,
  SettingsBody, SettingsSchema, SlaPoliciesBody, SlaPolicySchema, StatusBody, TeamBody, TeamMemberBody, TeamMemberParams, TeamPatch, TeamSchema,
  TeamsQuery, TicketBody, TicketDetailSchema, TicketEventSchema, TicketPhotoSchema, TicketSchema, TicketsQuery,
} from './tickets.schemas.js'
import { MAX_PHOTO_BYTES } from './ticket-rules.js'
import type { TicketsService } from './tickets.service.js'
import { reportWorkbook } from './tickets-report-xlsx.js'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** The refusals of a photo upload besides the usual ones: too large (413), not an image we take (415). */
const photoErrors = { 413: Type.Ref('Error'), 415: Type.Ref('Error') }

export const ticketsRoutes = (app: TypedApp, { tickets }: { tickets: TicketsService }) => {
  const tags = ['service desk']
  app.addSchema(TicketEventSchema)
  app.addSchema(TicketPhotoSchema)
  app.addSchema(CompensationSchema)
  app.addSchema(FollowUpSchema)
  app.addSchema(FollowUpTaskSchema)
  app.addSchema(TicketSchema)
  app.addSchema(TicketDetailSchema)
  app.addSchema(TeamSchema)
  app.addSchema(CategorySchema)
  app.addSchema(SlaPolicySchema)
  app.addSchema(SettingsSchema)
  app.addSchema(ReportSchema)
  const Ticket = Type.Ref('Ticket')
  const Detail = Type.Ref('TicketDetail')
  const Photo = Type.Ref('TicketPhoto')
  const Compensation = Type.Ref('TicketCompensation')
  const Team = Type.Ref('ServiceTeam')
  const Category = Type.Ref('ServiceCategory')
  const Policy = Type.Ref('SlaPolicy')
  const Settings = Type.Ref('ServiceSettings')
  const Task = Type.Ref('TicketFollowUpTask')

  // ---- tickets ----

  app.get('/tickets', {
    schema: {
      tags, summary: 'The ticket queues (mine, team, unassigned, due soon, overdue, all), newest first; a store\'s staff: their store\'s',
      querystring: TicketsQuery, response: { 200: Page(Ticket), ...errors(400, 401, 403) },
    },
    config: { permission: 'service.read' },
  }, async (req) => tickets.list(actorOf(req), req.query))

  app.post('/tickets', {
    schema: {
      tags, summary: 'Take in a complaint or service request (desk, phone, till, API): deadlines from the SLA policy and the team\'s working hours; audited',
      body: TicketBody, response: { 201: Detail, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'service.intake' },
  }, async (req, reply) => reply.code(201).send(await tickets.create(actorOf(req), req.body)))

  app.get('/tickets/:id', {
    schema: { tags, summary: 'A ticket with its timeline, photos, compensation and follow-up', params: IdParams, response: { 200: Detail, ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.get(actorOf(req), req.params.id))

  app.post('/tickets/:id/take', {
    schema: {
      tags, summary: 'Take the ticket: it becomes yours (in progress); if another agent has it already, 409 TICKET_TAKEN names them',
      params: IdParams, response: { 200: Detail, ...errors(401, 403, 404, 409) },
    },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.take(actorOf(req), req.params.id))

  app.post('/tickets/:id/assign', {
    schema: {
      tags, summary: 'Give the ticket to a team and optionally a person; a reassignment needs a reason; audited',
      params: IdParams, body: AssignBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.assign(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/start', {
    schema: { tags, summary: 'Start work on an assigned ticket (assigned → in progress): counts as the first response', params: IdParams, body: StatusBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.start(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/notes', {
    schema: { tags, summary: 'An internal note (never shown to the customer)', params: IdParams, body: NoteBody, response: { 201: Detail, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'service.handle' },
  }, async (req, reply) => reply.code(201).send(await tickets.note(actorOf(req), req.params.id, req.body)))

  app.post('/tickets/:id/replies', {
    schema: {
      tags, summary: 'What the customer is told, and how: by sms, email or wechat it is sent through the message channels after the commit (ticket.replied); phone and in person are recorded. The first is the first response',
      params: IdParams, body: ReplyBody, response: { 201: Detail, ...errors(400, 401, 403, 404, 409) },
    },
    config: { permission: 'service.handle' },
  }, async (req, reply) => reply.code(201).send(await tickets.reply(actorOf(req), req.params.id, req.body)))

  app.post('/tickets/:id/resolve', {
    schema: {
      tags, summary: 'Resolve with its outcome: a follow-up call is due in the settings\' days; publishes ticket.resolved; audited',
      params: IdParams, body: ResolveBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409) },
    },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.resolve(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/reopen', {
    schema: { tags, summary: 'Reopen a resolved or closed ticket (back to in progress, with new deadlines); audited', params: IdParams, body: ReopenBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.reopen(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/close', {
    schema: { tags, summary: 'Close a resolved ticket without a follow-up (its open follow-up is dropped); audited', params: IdParams, body: CloseBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.close(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/compensations', {
    schema: {
      tags, summary: 'Grant goodwill points or a coupon to the ticket\'s member, within the role\'s limit per ticket; the same requestKey again returns the first grant; audited',
      params: IdParams, body: CompensationBody, response: { 201: Compensation, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'service.compensate' },
  }, async (req, reply) => reply.code(201).send(await tickets.compensate(actorOf(req), req.params.id, req.body)))

  app.post('/tickets/:id/follow-up', {
    schema: {
      tags, summary: 'Record the follow-up call: satisfaction 1–2 reopens the ticket, 3–5 closes it; not reached leaves the task open',
      params: IdParams, body: FollowUpBody, response: { 200: Detail, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'service.handle' },
  }, async (req) => tickets.recordFollowUp(actorOf(req), req.params.id, req.body))

  app.post('/tickets/:id/photos', {
    schema: {
      tags, summary: `Attach a photo (multipart, field \`file\`): JPEG, PNG, WebP or GIF (by content), at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB, 6 per ticket`,
      params: IdParams, consumes: ['multipart/form-data'], response: { 201: Photo, ...errors(400, 401, 403, 404, 409, 422), ...photoErrors },
    },
    config: { permission: 'service.intake' },
    // Room for one photo over the limit, so it is refused with its own words (a larger body: the framework's 413).
    bodyLimit: 2 * MAX_PHOTO_BYTES,
  }, async (req, reply) => {
    // The ticket first: another store's ticket is refused before its upload is read.
    await tickets.photoTarget(actorOf(req), req.params.id)
    if (!req.isMultipart()) throw badRequest('TICKET_PHOTO_NOT_MULTIPART', [{ field: 'file', reason: 'send multipart/form-data with a file part' }])
    let upload: { bytes: Buffer; truncated: boolean } | null = null
    try {
      for await (const part of req.parts({ limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5 } })) {
        if (part.type === 'field') continue
        if (part.fieldname !== 'file') throw badRequest('TICKET_PHOTO_FIELD', [{ field: part.fieldname, reason: 'send the photo in the field named file' }])
        const chunks: Buffer[] = []
        for await (const chunk of part.file) chunks.push(chunk as Buffer)
        upload = { bytes: Buffer.concat(chunks), truncated: part.file.truncated }
      }
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw payloadTooLarge('TICKET_PHOTO_TOO_LARGE', [{ field: 'file', reason: `larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB` }])
      if (code === 'FST_FILES_LIMIT') throw badRequest('TICKET_PHOTO_FIELD', [{ field: 'file', reason: 'send one photo per upload' }])
      if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest('TICKET_PHOTO_FIELD', [{ field: 'form', reason: 'too many form fields' }])
      if (!code && /terminated early|unexpected end/i.test((e as Error).message ?? '')) throw badRequest('MALFORMED_MULTIPART', [{ field: 'file', reason: 'the upload ended before the file did' }])
      throw e
    }
    if (!upload) throw unprocessable('TICKET_PHOTO_MISSING', [{ field: 'file', reason: 'is required' }])
    return reply.code(201).send(await tickets.addPhoto(actorOf(req), req.params.id, upload))
  })

  app.get('/tickets/:id/photos/:photoId', {
    schema: { tags, summary: 'A photo of the ticket, with its type', params: PhotoParams, produces: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], response: { ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req, reply) => {
    const p = await tickets.photo(actorOf(req), req.params.id, req.params.photoId)
    return reply.type(p.contentType).header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(p.bytes)
  })

  app.get('/members/:id/tickets', {
    schema: { tags, summary: 'A member\'s tickets, newest first', params: IdParams, querystring: MemberTicketsQuery, response: { 200: Page(Ticket), ...errors(400, 401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.memberTickets(actorOf(req), req.params.id, req.query))

  app.get('/service/follow-ups', {
    schema: { tags, summary: 'Follow-up calls still to make (回访), earliest due first; a store\'s staff: their store\'s', querystring: FollowUpsQuery, response: { 200: Page(Task), ...errors(400, 401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.followUps(actorOf(req), req.query))

  // ---- configuration ----

  app.get('/service/teams', {
    schema: { tags, summary: 'Teams (门店, 客服中心, 采购, 食品安全, 法务…) with members and lead', querystring: TeamsQuery, response: { 200: Type.Array(Team), ...errors(400, 401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.listTeams(actorOf(req), req.query))

  app.post('/service/teams', {
    schema: { tags, summary: 'Add a team; audited', body: TeamBody, response: { 201: Team, ...errors(400, 401, 403, 422) } },
    config: { permission: 'service.manage' },
  }, async (req, reply) => reply.code(201).send(await tickets.createTeam(actorOf(req), req.body)))

  app.get('/service/teams/:id', {
    schema: { tags, summary: 'A team', params: IdParams, response: { 200: Team, ...errors(401, 403, 404) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.getTeam(actorOf(req), req.params.id))

  app.patch('/service/teams/:id', {
    schema: { tags, summary: 'Change a team (name, kind, store, lead, working hours, active); audited', params: IdParams, body: TeamPatch, response: { 200: Team, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.updateTeam(actorOf(req), req.params.id, req.body))

  app.post('/service/teams/:id/members', {
    schema: { tags, summary: 'Add a staff member to a team; audited', params: IdParams, body: TeamMemberBody, response: { 200: Team, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.addTeamMember(actorOf(req), req.params.id, req.body.userId))

  app.delete('/service/teams/:id/members/:userId', {
    schema: { tags, summary: 'Remove a staff member from a team; audited', params: TeamMemberParams, response: { 200: Team, ...errors(401, 403, 404) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.removeTeamMember(actorOf(req), req.params.id, req.params.userId))

  app.get('/service/categories', {
    schema: { tags, summary: 'The complaint categories (a tree: parentId), by sort; for those who read the desk or log complaints (service.read or service.intake)', response: { 200: Type.Array(Category), ...errors(401, 403) } },
    config: { authenticated: true },
  }, async (req) => tickets.listCategories(actorOf(req)))

  app.post('/service/categories', {
    schema: { tags, summary: 'Add a category (under a parent, or at the top); audited', body: CategoryBody, response: { 201: Category, ...errors(400, 401, 403, 422) } },
    config: { permission: 'service.manage' },
  }, async (req, reply) => reply.code(201).send(await tickets.createCategory(actorOf(req), req.body)))

  app.patch('/service/categories/:id', {
    schema: { tags, summary: 'Change a category (name, parent, sort, active); audited', params: IdParams, body: CategoryPatch, response: { 200: Category, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.updateCategory(actorOf(req), req.params.id, req.body))

  app.get('/service/sla-policies', {
    schema: { tags, summary: 'SLA policies by category (null: the default) and severity, in working minutes', response: { 200: Type.Array(Policy), ...errors(401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.listPolicies(actorOf(req)))

  app.put('/service/sla-policies', {
    schema: {
      tags, summary: 'Set SLA policies: each (category, severity) given is written; the others stay; new tickets use them; audited',
      body: SlaPoliciesBody, response: { 200: Type.Array(Policy), ...errors(400, 401, 403, 422) },
    },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.savePolicies(actorOf(req), req.body.policies))

  app.delete('/service/sla-policies/:id', {
    schema: { tags, summary: 'Remove a category\'s policy (it inherits again); the default policies stay', params: IdParams, response: { 200: Type.Array(Policy), ...errors(401, 403, 404, 409) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.deletePolicy(actorOf(req), req.params.id))

  app.get('/service/settings', {
    schema: { tags, summary: 'The desk\'s settings: escalation chain, follow-up days, compensation limits per role, holidays, default working hours', response: { 200: Settings, ...errors(401, 403) } },
    config: { permission: 'service.read' },
  }, async (req) => tickets.settings(actorOf(req)))

  app.put('/service/settings', {
    schema: { tags, summary: 'Change the desk\'s settings (the fields given); audited', body: SettingsBody, response: { 200: Settings, ...errors(400, 401, 403, 422) } },
    config: { permission: 'service.manage' },
  }, async (req) => tickets.saveSettings(actorOf(req), req.body))

  // ---- reports ----

  app.get('/service/reports', {
    schema: {
      tags, summary: 'Volume by category, store and period; first-response and resolution times; SLA compliance; reopen rate; repeat complainants; top products and stores; follow-up satisfaction',
      querystring: ReportQuery, response: { 200: Type.Ref('ServiceReport'), ...errors(400, 401, 403) },
    },
    config: { permission: 'service.read' },
  }, async (req) => tickets.report(actorOf(req), req.query))

  app.get('/service/reports/export.xlsx', {
    schema: { tags, summary: 'The report as an Excel workbook, a sheet per table', querystring: ReportQuery, produces: [XLSX], response: errors(400, 401, 403) },
    config: { permission: 'service.read' },
  }, async (req, reply) => {
    const lang = fileLanguage(req.query.lang, req.headers['accept-language'])
    const report = await tickets.report(actorOf(req), req.query)
    const body = await reportWorkbook(report, lang)
    return reply.type(XLSX).header('content-disposition', attachment(`service-report-${report.from}-${report.to}.xlsx`, `${lang === 'zh-CN' ? '服务报表' : 'service-report'}-${report.from}-${report.to}.xlsx`)).send(body)
  })
}
