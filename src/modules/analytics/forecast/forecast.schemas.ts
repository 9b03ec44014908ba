import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Level = Type.Union([Type.Literal('store_department'), Type.Literal('chain_category')], { description: 'per store × department, or chain-wide per category' })

export const RunBody = Type.Object({
  horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 26, description: 'weeks to forecast (default 12)' })),
  weeks: Type.Optional(Type.Integer({ minimum: 6, maximum: 520, description: 'weeks of history read, at most (default 156)' })),
}, { additionalProperties: false })

export const QueuedSchema = Type.Object({ jobId: Type.String(), joined: Type.Boolean() })

const RunSchema = Type.Object({
  id: Type.String(), runAt: Type.String(), lastWeek: Day, weeks: Type.Integer(), horizon: Type.Integer(), origins: Type.Integer(),
  series: Type.Integer(), skipped: Type.Integer({ description: 'series with fewer weeks than the model needs' }), seconds: Type.Number(), createdBy: Type.String(),
})

const Summary = {
  level: Level,
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  key: Type.String({ description: 'the department (per store) or the category (chain-wide)' }),
  fromWeek: Day,
  historyWeeks: Type.Integer(),
  last4: Type.Integer({ description: 'fen: the last 4 whole weeks\' sales' }),
  next4: Type.Integer({ description: 'fen: the next 4 weeks\' forecast' }),
  smape: Nullable(Type.Number({ description: 'backtest sMAPE (%) of the model' })),
  naiveSmape: Nullable(Type.Number({ description: 'backtest sMAPE (%) of seasonal naive, same weeks' })),
  mape: Nullable(Type.Number()),
  model: Type.String(),
}

export const LatestQuery = Type.Object({ storeId: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false })

export const LatestSchema = Type.Object({ run: Nullable(RunSchema), series: Type.Array(Type.Object(Summary)) })

export const SeriesQuery = Type.Object({
  level: Type.Optional(Level),
  storeId: Type.Optional(Type.String({ minLength: 1, description: 'the store of a store × department series (its level is then the default)' })),
  key: Type.Optional(Type.String({ minLength: 1, description: 'the department or category (required)' })),
}, { additionalProperties: false })

const Accuracy = Type.Object({ mape: Nullable(Type.Number()), mapeSkipped: Type.Integer(), smape: Type.Number(), pairs: Type.Integer() })

export const SeriesSchema = Type.Object({
  run: RunSchema,
  series: Type.Object({
    ...Summary,
    weeks: Type.Array(Day, { description: "each week's Monday: the history's, then the forecast's" }),
    actual: Type.Array(Type.Number()),
    fitted: Type.Array(Type.Number()),
    forecast: Type.Array(Type.Number()),
    naive: Type.Array(Type.Number()),
    lower80: Nullable(Type.Array(Type.Number())),
    upper80: Nullable(Type.Array(Type.Number())),
    springFestival: Type.Array(Type.Boolean()),
    holidayFactor: Nullable(Type.Number()),
    backtest: Nullable(Type.Object({ origins: Type.Integer(), horizon: Type.Integer(), model: Accuracy, seasonalNaive: Accuracy })),
  }),
})

export const ExportQuery = Type.Object({
  storeId: Type.Optional(Type.String({ minLength: 1 })),
  level: Type.Optional(Level),
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
}, { additionalProperties: false })
