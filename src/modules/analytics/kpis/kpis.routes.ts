import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, errors } from '../../../shared/http/schemas.js'
import { reportWorkbook } from './kpis.report-xlsx.js'
import { KpiQuerySchema, KpiResultSchema, KpiTargetSchema, ReportQuery, ReportSchema, TargetBody, TargetListQuery, TargetPatchBody } from './kpis.schemas.js'
import type { KpisService } from './kpis.service.js'
import { Type } from 'typebox'

const tags = ['insight']

export const kpisRoutes = (app: TypedApp, { kpis }: { kpis: KpisService }) => {
  app.addSchema(KpiResultSchema)
  app.addSchema(KpiTargetSchema)
  app.addSchema(ReportSchema)

  app.get('/insight/kpis', {
    schema: {
      tags, summary: 'KPIs per day, week, month, quarter or year with 环比 (previous period) and 同比 (same period last year), for the chain, a region or a store (store roles: their store)',
      querystring: KpiQuerySchema, response: { 200: Type.Ref('KpiResult'), ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => kpis.kpis(actorOf(req), req.query))

  app.get('/insight/kpi-targets', {
    schema: { tags, summary: 'KPI targets HQ set (store roles: the chain\'s and their store\'s)', querystring: TargetListQuery, response: { 200: Type.Array(Type.Ref('KpiTarget')), ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => kpis.listTargets(actorOf(req), req.query))

  app.post('/insight/kpi-targets', {
    schema: { tags, summary: 'Set a KPI target for a month or year, the chain, a region or a store (audited)', body: TargetBody, response: { 201: Type.Ref('KpiTarget'), ...errors(400, 401, 403, 409) } },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => reply.code(201).send(await kpis.createTarget(actorOf(req), req.body)))

  app.patch('/insight/kpi-targets/:id', {
    schema: { tags, summary: 'Change a KPI target\'s value (audited)', params: IdParams, body: TargetPatchBody, response: { 200: Type.Ref('KpiTarget'), ...errors(400, 401, 403, 404) } },
    config: { permission: 'insight.manage' },
  }, async (req) => kpis.updateTarget(actorOf(req), req.params.id, req.body.target))

  app.delete('/insight/kpi-targets/:id', {
    schema: { tags, summary: 'Remove a KPI target (audited)', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    await kpis.deleteTarget(actorOf(req), req.params.id)
    return reply.code(204).send(null)
  })

  app.get('/insight/report', {
    schema: { tags, summary: 'The CRM evaluation report (CRM 绩效评估) of a month or a year: actual against targets, per region and store, with trends', querystring: ReportQuery, response: { 200: Type.Ref('CrmReport'), ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => kpis.report(actorOf(req), req.query))

  app.get('/insight/report.xlsx', {
    schema: { tags, summary: 'The CRM evaluation report as an Excel workbook', querystring: ReportQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: errors(400, 401, 403) },
    config: { permission: 'insight.read' },
  }, async (req, reply) => {
    const report = await kpis.report(actorOf(req), req.query)
    const lang = req.query.lang ?? 'zh-CN'
    const name = `crm-report-${report.period}.xlsx`
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(await reportWorkbook(report, lang))
  })
}
