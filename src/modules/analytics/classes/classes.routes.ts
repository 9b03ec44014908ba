import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { errors } from '../../../shared/http/schemas.js'
import {
  DistributionsQuery, DistributionsResponseSchema, InsightSettingsBody, LifecycleResponseSchema, ParetoQuery, ParetoResponseSchema,
  QuadrantsResponseSchema, RfmResponseSchema, ScopeQuery, SettingsResponseSchema,
} from './classes.schemas.js'
import type { ClassesService } from './classes.service.js'

const tags = ['insight']

export const classesRoutes = (app: TypedApp, { classes }: { classes: ClassesService }) => {
  app.get('/insight/settings', {
    schema: { tags, summary: 'The classes\' settings (window, RFM method, thresholds, lifecycle days) and the thresholds the last full refresh used', response: { 200: SettingsResponseSchema, ...errors(401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.getSettings(actorOf(req)))

  app.put('/insight/settings', {
    schema: { tags, summary: 'HQ changes the classes\' settings (applied by the next full refresh); a bad value is refused and nothing changes', body: InsightSettingsBody, response: { 200: SettingsResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.manage' },
  }, async (req) => classes.updateSettings(actorOf(req), req.body))

  app.get('/insight/rfm', {
    schema: { tags, summary: 'RFM: cut points, the R × F matrix with members and average M, the eight classes (store roles: members of their store)', querystring: ScopeQuery, response: { 200: RfmResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.rfm(actorOf(req), req.query))

  app.get('/insight/quadrants', {
    schema: { tags, summary: 'Value quadrants (income band × spend in the window): members, spend, shares and thresholds; no income band counted apart', querystring: ScopeQuery, response: { 200: QuadrantsResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.quadrants(actorOf(req), req.query))

  app.get('/insight/pareto', {
    schema: { tags, summary: 'The 80/20 curve of a period from the receipts (store filter: where the purchases were made): share of spend by the top members', querystring: ParetoQuery, response: { 200: ParetoResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.pareto(actorOf(req), req.query))

  app.get('/insight/distributions', {
    schema: { tags, summary: 'Frequency × amount classes, main departments and categories, age band × gender', querystring: DistributionsQuery, response: { 200: DistributionsResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.distributions(actorOf(req), req.query))

  app.get('/insight/lifecycle', {
    schema: { tags, summary: 'Lifecycle: members by stage now, the 13-month trend, month-over-month flows, the thresholds and how they were derived', querystring: ScopeQuery, response: { 200: LifecycleResponseSchema, ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => classes.lifecycle(actorOf(req), req.query))
}
