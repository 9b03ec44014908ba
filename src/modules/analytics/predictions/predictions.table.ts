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

export interface PredictionsTables {
  clv_fits: ClvFitsTable
}
