/** One forecast run: every weekly series forecast at once, with what it was asked. */
export interface ForecastRunsTable {
  id: string
  run_at: string
  /** the Monday of the last whole week forecast from */
  last_week: string
  /** weeks of history read (at most) */
  weeks: number
  /** weeks forecast */
  horizon: number
  /** backtest origins (the last N weeks forecast from the weeks before them) */
  origins: number
  series: number
  /** series with fewer weeks than the model needs */
  skipped: number
  seconds: number
  created_by: string
}

/** One series' forecast: its summary in columns, the weeks and the model in `detail` (JSON). */
export interface ForecastSeriesTable {
  run_id: string
  /** 'store_department' | 'chain_category' */
  level: string
  /** '' for the chain (a key column cannot be null) */
  store_id: string
  key: string
  /** the Monday of the series' first week */
  from_week: string
  history_weeks: number
  /** fen: the last 4 whole weeks' sales, and the next 4 weeks' forecast */
  last4: number
  next4: number
  /** backtest sMAPE of the model and of seasonal naive over the same (origin, week) pairs; null without a backtest */
  smape: number | null
  naive_smape: number | null
  mape: number | null
  /** e.g. ETS(A,Ad,N) */
  model: string
  /** JSON: weeks, actuals, fitted, forecast, intervals, holiday flags and factor, backtest */
  detail: string
}

export interface ForecastTables {
  forecast_runs: ForecastRunsTable
  forecast_series: ForecastSeriesTable
}
