/** A CLV fit that scored the members: its result (ClvFitResult and the horizon) as JSON. */
export interface ClvFitsTable {
  id: string
  fitted_at: string
  /** the last business day of the purchases fitted */
  calibration_end: string
  members: number
  /** members whose predictions it wrote */
  scored: number
  result: string
  created_by: string
}

/** A calibration / holdout check of the models: fitted up to one date, predicted against what followed (ClvFitResult with its holdout, as JSON). */
export interface ClvChecksTable {
  id: string
  checked_at: string
  calibration_end: string
  holdout_end: string
  /** the members of one region's stores; null: the chain */
  region_id: string | null
  result: string
  created_by: string
}

export interface PredictionsTables {
  clv_fits: ClvFitsTable
  clv_checks: ClvChecksTable
}
