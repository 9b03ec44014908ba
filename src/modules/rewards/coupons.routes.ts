import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, Page, errors } from '../../shared/http/schemas.js'
import {
  BulkIssueBody, BulkIssueSchema, CodeParams, CouponSchema, IssueOneBody, IssueRunSchema, MemberCouponsQuery, ReportQuery, ReportSchema,
  TemplateBody, TemplateCouponsQuery, TemplateSchema, TemplateStatusBody, TemplatesQuery, VoidBody,
} from './coupons.schemas.js'
import type { CouponsService } from './coupons.service.js'

export const couponsRoutes = (app: TypedApp, { coupons }: { coupons: CouponsService }) => {
  const tags = ['coupons']
  app.addSchema(TemplateSchema)
  app.addSchema(CouponSchema)
  const Template = Type.Ref('CouponTemplate')
  const Coupon = Type.Ref('Coupon')

  app.get('/coupon-templates', {
    schema: { tags, summary: 'Coupon templates, newest first', querystring: TemplatesQuery, response: { 200: Type.Array(Template), ...errors(400, 401, 403) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.listTemplates(actorOf(req), req.query))

  app.post('/coupon-templates', {
    schema: { tags, summary: 'Create a coupon template; audited', body: TemplateBody, response: { 201: Template, ...errors(400, 401, 403, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req, reply) => reply.code(201).send(await coupons.createTemplate(actorOf(req), req.body)))

  app.get('/coupon-templates/:id', {
    schema: { tags, summary: 'One coupon template', params: IdParams, response: { 200: Template, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.getTemplate(actorOf(req), req.params.id))

  app.put('/coupon-templates/:id', {
    schema: { tags, summary: 'Change a template (issued coupons keep their value and validity); audited', params: IdParams, body: TemplateBody, response: { 200: Template, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => coupons.updateTemplate(actorOf(req), req.params.id, req.body))

  app.post('/coupon-templates/:id/status', {
    schema: { tags, summary: 'Pause, resume or archive a template; audited', params: IdParams, body: TemplateStatusBody, response: { 200: Template, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'rewards.manage' },
  }, async (req) => coupons.setTemplateStatus(actorOf(req), req.params.id, req.body.status))

  app.get('/coupon-templates/:id/coupons', {
    schema: { tags, summary: "A template's coupons, newest first", params: IdParams, querystring: TemplateCouponsQuery, response: { 200: Page(Coupon), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.templateCoupons(actorOf(req), req.params.id, req.query))

  app.post('/coupon-templates/:id/issues', {
    schema: {
      tags, summary: 'Issue the template to a list of members (ids, cards, phones or external codes); a re-run with the same issueKey issues nothing twice',
      params: IdParams, body: BulkIssueBody, response: { 200: BulkIssueSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
    config: { permission: 'rewards.issue' },
    // 200,000 phone numbers as JSON are about 3 MB.
    bodyLimit: 16 * 1024 * 1024,
  }, async (req) => coupons.issueBulk(actorOf(req), { templateId: req.params.id, ...req.body }))

  app.get('/coupon-templates/:id/issues', {
    schema: { tags, summary: "A template's bulk issues, newest first", params: IdParams, response: { 200: Type.Array(IssueRunSchema), ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.listIssues(actorOf(req), req.params.id))

  app.get('/coupon-reports', {
    schema: { tags, summary: 'Per template: issued, used, expired, voided, redemption rate, discount given, sales on receipts that used it', querystring: ReportQuery, response: { 200: Type.Array(ReportSchema), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.reports' },
  }, async (req) => coupons.report(actorOf(req), req.query))

  app.get('/members/:id/coupons', {
    schema: { tags, summary: "A member's coupons, the usable ones first", params: IdParams, querystring: MemberCouponsQuery, response: { 200: Type.Array(Coupon), ...errors(400, 401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.memberCoupons(actorOf(req), req.params.id, req.query))

  app.post('/members/:id/coupons', {
    schema: { tags, summary: 'Issue one coupon to a member (staff); audited', params: IdParams, body: IssueOneBody, response: { 201: Coupon, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.issue' },
  }, async (req, reply) => reply.code(201).send(await coupons.issueOne(actorOf(req), { memberId: req.params.id, ...req.body })))

  app.get('/coupons/by-code/:code', {
    schema: { tags, summary: 'A coupon by its code or QR payload (the till\'s scan)', params: CodeParams, response: { 200: Coupon, ...errors(401, 403, 404) } },
    config: { permission: 'rewards.read' },
  }, async (req) => coupons.byCode(actorOf(req), req.params.code))

  app.post('/coupons/:id/void', {
    schema: { tags, summary: 'Void an unused coupon with the reason; audited', params: IdParams, body: VoidBody, response: { 200: Coupon, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'rewards.issue' },
  }, async (req) => coupons.voidCoupon(actorOf(req), req.params.id, req.body.reason))
}
