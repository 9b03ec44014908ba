import { InvalidArgumentError } from 'commander'
import type { ClvFitResult, ClvUnit } from '../../modules/analytics/index.js'
import { regionIdsByCode } from '../../modules/org/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-clv' }
const round = (v: number, digits: number) => Number(v.toPrecision(digits))

/** What a fit prints: the parameters, then the holdout by calibration repeat purchases. */
export const clvOutput = (r: ClvFitResult): ReportOutput => {
  const gg = 'refused' in r.gammaGamma ? null : r.gammaGamma
  const tables: ReportOutput['tables'] = [{
    title: `BG/NBD fitted on purchases to ${r.calibrationEnd} (unit: ${r.unit})`,
    columns: ['r', 'alpha', 'a', 'b', 'log-likelihood', 'members', 'repeat members'],
    rows: [[round(r.r, 6), round(r.alpha, 6), round(r.a, 6), round(r.b, 6), round(r.logLikelihood, 9), r.members, r.repeatMembers]],
  }, gg
    ? { title: 'Gamma-Gamma (purchase value, fen)', columns: ['p', 'q', 'gamma', 'log-likelihood', 'members'], rows: [[round(gg.p, 6), round(gg.q, 6), round(gg.gamma, 6), round(gg.logLikelihood, 9), gg.members]] }
    : { title: 'Gamma-Gamma not fitted', columns: ['reason'], rows: [['refused' in r.gammaGamma ? r.gammaGamma.refused : '']] }]
  if (r.holdout) {
    tables.push({
      title: `Holdout to ${r.holdout.end} (${round(r.holdout.length, 6)} ${r.unit}s): purchases after the calibration end, by repeat purchases before it`,
      columns: ['repeat purchases', 'members', 'actual', 'predicted', 'actual per member', 'predicted per member'],
      rows: [...r.holdout.byRepeats.map((b) => [b.repeats, b.members, b.actual, round(b.predicted, 6), round(b.actual / b.members, 4), round(b.predicted / b.members, 4)]),
        ['total', r.members, r.holdout.actual, round(r.holdout.predicted, 6), round(r.holdout.actual / r.members, 4), round(r.holdout.predicted / r.members, 4)]],
    })
  }
  return { json: r, tables }
}

/**
 * `patron analytics clv --calibration-end D [--holdout-end D] [--unit day|week] [--region CODE]`:
 * fits BG/NBD and Gamma-Gamma on the purchases to D and prints the parameters (and the holdout).
 */
export const clvReport = {
  name: 'clv',
  description: 'Fit the BG/NBD purchase model and the Gamma-Gamma value model on purchases to --calibration-end; with --holdout-end, predicted against actual purchases after it',
  options: [
    { flags: '--calibration-end <date>', description: 'the last business day of the calibration period (YYYY-MM-DD)' },
    { flags: '--holdout-end <date>', description: 'the last business day of the holdout period (YYYY-MM-DD)' },
    { flags: '--unit <unit>', description: 'day or week (default week)' },
    { flags: '--region <code>', description: 'the members who registered in this region' },
  ],
  async run(patron: Patron, opts: { [key: string]: unknown }): Promise<ReportOutput> {
    if (typeof opts.calibrationEnd !== 'string') throw new InvalidArgumentError('--calibration-end <date> is required')
    const unit = (opts.unit ?? 'week') as string
    if (unit !== 'day' && unit !== 'week') throw new InvalidArgumentError('--unit must be day or week')
    let regionId: string | undefined
    if (typeof opts.region === 'string') {
      regionId = (await regionIdsByCode(patron.services.db)).get(opts.region)
      if (!regionId) throw new InvalidArgumentError(`no region with code ${opts.region}`)
    }
    return clvOutput(await patron.services.clv.fit(actor, {
      calibrationEnd: opts.calibrationEnd, unit: unit as ClvUnit,
      ...(typeof opts.holdoutEnd === 'string' ? { holdoutEnd: opts.holdoutEnd } : {}), ...(regionId ? { regionId } : {}),
    }))
  },
}
