import { actorName } from '../../../shared/actor.js'
import type { Db } from '../../../db/database.js'
import { errors } from '../../../shared/http/schemas.js'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { attachment, fileLanguage, sendCsv, sendXlsx } from '../../../shared/http/table-export.js'
import { queueJoining, type JobQueue } from '../analytics-queue.js'
import { forecastSales } from '../analytics.jobs.js'
import { forecastExportRows } from './forecast-export.js'
import type { ForecastService } from './forecast.service.js'
import { ExportQuery, LatestQuery, LatestSchema, QueuedSchema, RunBody, SeriesQuery, SeriesSchema } from './forecast.schemas.js'

const tags = ['insight']

export const forecastRoutes = (app: TypedApp, { forecast, outbox, db, clock }: { forecast: ForecastService; outbox: JobQueue; db: Db; clock: { now(): Date } }) => {
  app.post('/insight/forecasts', {
    schema: {
      tags, summary: 'Queue a forecast of every weekly series (store × department, chain × category) with its backtest; requests within the same minute join one job',
      body: RunBody, response: { 202: QueuedSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => {
    const payload = { ...(req.body?.horizon !== undefined ? { horizon: req.body.horizon } : {}), ...(req.body?.weeks !== undefined ? { weeks: req.body.weeks } : {}), requestedBy: actorName(actorOf(req)) }
    return reply.code(202).send(await queueJoining(outbox, db, clock.now(), forecastSales.name, payload))
  })

  app.get('/insight/forecasts', {
    schema: {
      tags, summary: 'The last forecast run and its series (last 4 weeks, next 4 weeks, backtest sMAPE beside seasonal naive); store roles see their store\'s departments',
      querystring: LatestQuery, response: { 200: LatestSchema, ...errors(400, 401, 403) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => forecast.latest(actorOf(req), req.query))

  app.get('/insight/forecasts/series', {
    schema: {
      tags, summary: 'One series of the last forecast: every week\'s sales, the fitted values, the forecast with its 80 % interval, seasonal naive, the Spring Festival weeks and the backtest',
      querystring: SeriesQuery, response: { 200: SeriesSchema, ...errors(400, 401, 403, 404, 422) },
    },
    config: { permission: 'insight.read' },
  }, async (req) => forecast.series(actorOf(req), req.query))

  const fileName = (lang: string, ext: string) => attachment(`forecast.${ext}`, lang === 'zh-CN' ? `销售预测.${ext}` : `forecast.${ext}`)

  app.get('/insight/forecasts/export.csv', {
    schema: { tags, summary: 'The last forecast as CSV: per series, its weeks of sales and of forecast (yuan) with the interval (store roles: their store\'s)', querystring: ExportQuery, produces: ['text/csv'], response: errors(400, 401, 403) },
    config: { permission: 'insight.read' },
  }, async (req, reply) => {
    const lang = fileLanguage(req.query.lang, req.headers['accept-language'])
    const { series } = await forecast.exportRows(actorOf(req), req.query)
    return sendCsv(req, reply, forecastExportRows(series, lang), fileName(lang, 'csv'), 'forecast export')
  })

  app.get('/insight/forecasts/export.xlsx', {
    schema: {
      tags, summary: 'The last forecast as an Excel workbook, as the CSV', querystring: ExportQuery,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: errors(400, 401, 403),
    },
    config: { permission: 'insight.read' },
  }, async (req, reply) => {
    const lang = fileLanguage(req.query.lang, req.headers['accept-language'])
    const { series } = await forecast.exportRows(actorOf(req), req.query)
    return sendXlsx(req, reply, forecastExportRows(series, lang), lang === 'zh-CN' ? '销售预测' : 'Forecast', fileName(lang, 'xlsx'), 'forecast export')
  })
}
