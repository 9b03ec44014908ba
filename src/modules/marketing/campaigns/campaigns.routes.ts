import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, errors } from '../../../shared/http/schemas.js'
import {
  CampaignBody, CampaignPatchBody, CampaignSchema, CampaignSettingsBody, CampaignSettingsSchema, CampaignsQuery, MemberCampaignSchema, RecipientSchema, RecipientsQuery,
  ReportSchema, RunSchema, TestBody, VersionBody, WithdrawBody,
} from './campaigns.schemas.js'
import type { CampaignsService } from './campaigns.service.js'

export const campaignsRoutes = (app: TypedApp, { campaigns }: { campaigns: CampaignsService }) => {
  const tags = ['marketing']
  app.addSchema(CampaignSchema)
  app.addSchema(RunSchema)
  const Campaign = Type.Ref('Campaign')
  const Detail = Type.Intersect([Campaign, Type.Object({ runs: Type.Array(Type.Ref('CampaignRun')) })])
  const write = { 200: Campaign, ...errors(400, 401, 403, 404, 409, 422) }

  app.get('/marketing/campaigns', {
    schema: { tags, summary: 'Campaigns, newest first', querystring: CampaignsQuery, response: { 200: Type.Object({ items: Type.Array(Campaign), nextCursor: Type.Union([Type.Null(), Type.String()]) }), ...errors(400, 401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => campaigns.list(actorOf(req), req.query))

  app.post('/marketing/campaigns', {
    schema: { tags, summary: 'A new campaign (a draft): segment, exclusions, channels in order with a template each, a coupon, a schedule, a rate, a holdout; audited', body: CampaignBody, response: { 201: Campaign, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req, reply) => reply.code(201).send(await campaigns.create(actorOf(req), req.body)))

  app.get('/marketing/campaigns/:id', {
    schema: { tags, summary: 'A campaign with its runs and what became of each run\'s targets', params: IdParams, response: { 200: Detail, ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => campaigns.get(actorOf(req), req.params.id))

  app.patch('/marketing/campaigns/:id', {
    schema: { tags, summary: 'Change a draft, from the version read (409 if changed since); audited', params: IdParams, body: CampaignPatchBody, response: write },
    config: { permission: 'marketing.manage' },
  }, async (req) => campaigns.update(actorOf(req), req.params.id, req.body))

  for (const [action, summary] of [
    ['submit', 'Submit a draft: scheduled, or waiting for an HQ administrator\'s approval when the chain asks for one'],
    ['approve', 'Approve a submitted campaign (not by who submitted it): it is scheduled'],
  ] as const) {
    app.post(`/marketing/campaigns/:id/${action}`, {
      schema: { tags, summary, params: IdParams, body: VersionBody, response: write },
      config: { permission: action === 'approve' ? 'marketing.approve' : 'marketing.manage' },
    }, async (req) => campaigns[action](actorOf(req), req.params.id, req.body.version))
  }

  app.post('/marketing/campaigns/:id/withdraw', {
    schema: { tags, summary: 'Back to a draft: a campaign waiting for approval (a rejection, with its reason) or scheduled and not started', params: IdParams, body: WithdrawBody, response: write },
    config: { permission: 'marketing.manage' },
  }, async (req) => campaigns.withdraw(actorOf(req), req.params.id, req.body))

  for (const [action, summary] of [
    ['pause', 'Pause: nothing more goes until resumed'],
    ['resume', 'Resume a paused campaign where it stopped'],
    ['cancel', 'Cancel: what has not gone never goes'],
  ] as const) {
    app.post(`/marketing/campaigns/:id/${action}`, {
      schema: { tags, summary, params: IdParams, response: write },
      config: { permission: 'marketing.manage' },
    }, async (req) => campaigns[action](actorOf(req), req.params.id))
  }

  app.post('/marketing/campaigns/:id/test', {
    schema: { tags, summary: "Send the campaign's message on a channel to a staff member's address (filled for a member as you may see them); audited", params: IdParams, body: TestBody, response: { 200: Type.Ref('Message'), ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req) => campaigns.testSend(actorOf(req), req.params.id, req.body))

  app.get('/marketing/campaigns/:id/recipients', {
    schema: { tags, summary: "A run's recipients (default the latest run): group, status, channel, why skipped", params: IdParams, querystring: RecipientsQuery, response: { 200: Type.Object({ runId: Type.String(), items: Type.Array(RecipientSchema), nextCursor: Type.Union([Type.Null(), Type.String()]) }), ...errors(400, 401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => campaigns.recipients(actorOf(req), req.params.id, req.query))

  app.get('/marketing/campaigns/:id/report', {
    schema: { tags, summary: "A run's report against its holdout: buyers, sales per member, incremental sales with a 95% interval, coupons redeemed, cost, return", params: IdParams, querystring: Type.Object({ runId: Type.Optional(Type.String({ maxLength: 64 })) }), response: { 200: ReportSchema, ...errors(400, 401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => campaigns.report(actorOf(req), req.params.id, req.query))

  app.get('/marketing/campaign-settings', {
    schema: { tags, summary: 'Pressure and measurement settings: the cap per member, quiet hours, the chain-wide holdout, approval, message costs', response: { 200: CampaignSettingsSchema, ...errors(401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => campaigns.settings(actorOf(req)))

  app.put('/marketing/campaign-settings', {
    schema: { tags, summary: 'Set the pressure and measurement settings; audited', body: CampaignSettingsBody, response: { 200: CampaignSettingsSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req) => campaigns.saveSettings(actorOf(req), req.body))

  app.get('/members/:id/campaigns', {
    schema: { tags, summary: 'The campaigns a member was in: group, status, channel', params: IdParams, response: { 200: Type.Object({ items: Type.Array(MemberCampaignSchema) }), ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => ({ items: await campaigns.ofMember(actorOf(req), req.params.id) }))
}
