import type zh from '../../zh-CN/insight/shared.js'
import type { Translation } from '../../../types.js'

export default {
  freshness: 'Figures as of {{asOf}} · last refreshed {{at}}',
  freshnessNever: 'Not computed yet: run a refresh (patron analytics refresh --full) and the figures show here',
  freshnessHelp: 'The insight figures are computed by the refresh: incrementally after sales, returns and imports, in full every night. “As of” is the business date counted; “last refreshed” is when they were last computed.',
  freshnessPending: '{{count}} more receipts waiting to be counted',
  refreshNow: 'Refresh now',
  refreshQueued: 'Refresh queued; open the page again shortly',
  windowLine: 'Window {{from}} to {{to}} ({{days}} days)',
  region: 'Region',
  allRegions: 'All regions',
  store: 'Store',
  allStores: 'All stores',
  storeFixed: 'Your store: {{store}}',
  scopeHelp: 'Members are counted by their registration store. Store roles see only their store’s members.',
  exportCsv: 'Export CSV',
  exportXlsx: 'Export Excel',
  exportFailed: 'Export failed',
  help: 'Help',
  members: 'Members',
  memberShare: 'Share of members',
  spend: 'Spend',
  spendShare: 'Share of spend',
  empty: 'No data',
  yuan: 'yuan',
  days: 'days',
} satisfies Translation<typeof zh>
