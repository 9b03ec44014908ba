import overview from './overview.js'
import rfm from './rfm.js'
import quadrants from './quadrants.js'
import pareto from './pareto.js'
import lifecycle from './lifecycle.js'
import clv from './clv.js'
import rules from './rules.js'
import recommendations from './recommendations.js'
import forecast from './forecast.js'
import tags from './tags.js'
import segments from './segments.js'
import kpis from './kpis.js'
import report from './report.js'
import profile from './profile.js'
import settings from './settings.js'
import shared from './shared.js'

// The insight area (洞察), a file per page: pages take theirs with useTranslation('insight', { keyPrefix }).
export default { overview, rfm, quadrants, pareto, lifecycle, clv, rules, recommendations, forecast, tags, segments, kpis, report, profile, settings, shared } as const
