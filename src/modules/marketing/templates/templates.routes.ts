import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, errors } from '../../../shared/http/schemas.js'
import {
  MarketingSettingsBody, MarketingSettingsSchema, MessageTemplateSchema, PreviewBody, PreviewSchema, TemplateBody, TemplatePatchBody, TemplatesQuery,
} from './templates.schemas.js'
import type { TemplatesService } from './templates.service.js'

export const templatesRoutes = (app: TypedApp, { templates }: { templates: TemplatesService }) => {
  const tags = ['marketing']
  app.addSchema(MessageTemplateSchema)
  const Template = Type.Ref('MessageTemplate')

  app.get('/marketing/templates', {
    schema: { tags, summary: 'Message templates, by name', querystring: TemplatesQuery, response: { 200: Type.Object({ items: Type.Array(Template) }), ...errors(400, 401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => ({ items: await templates.list(actorOf(req), req.query) }))

  app.post('/marketing/templates', {
    schema: { tags, summary: 'Add a template: its texts checked ({{variables}} known, lengths); audited', body: TemplateBody, response: { 201: Template, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req, reply) => reply.code(201).send(await templates.create(actorOf(req), req.body)))

  app.post('/marketing/templates/preview', {
    schema: {
      tags, summary: 'A message as a member would get it: a template or the text being written, filled with the member\'s and the coupon\'s values; for an SMS its length and parts',
      body: PreviewBody, response: { 200: PreviewSchema, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'marketing.read' },
  }, async (req) => templates.preview(actorOf(req), req.body))

  app.get('/marketing/templates/:id', {
    schema: { tags, summary: 'A template', params: IdParams, response: { 200: Template, ...errors(401, 403, 404) } },
    config: { permission: 'marketing.read' },
  }, async (req) => templates.get(actorOf(req), req.params.id))

  app.patch('/marketing/templates/:id', {
    schema: { tags, summary: 'Change a template or archive it, from the version read (409 if changed since); audited', params: IdParams, body: TemplatePatchBody, response: { 200: Template, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req) => templates.update(actorOf(req), req.params.id, req.body))

  app.get('/marketing/settings', {
    schema: { tags, summary: "The chain's marketing settings: the SMS signature, whether marketing emails' opens and clicks are tracked", response: { 200: MarketingSettingsSchema, ...errors(401, 403) } },
    config: { permission: 'marketing.read' },
  }, async (req) => templates.settings(actorOf(req)))

  app.put('/marketing/settings', {
    schema: { tags, summary: "Set the chain's marketing settings (those left out are kept); audited", body: MarketingSettingsBody, response: { 200: MarketingSettingsSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'marketing.manage' },
  }, async (req) => templates.saveSettings(actorOf(req), req.body))
}
