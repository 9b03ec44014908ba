import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { REFERENCE_STALE_MS, useApiQuery } from '../../../api/query.js'
import { useSession } from '../../../auth/session.js'
import { categoryLabel, categoryTree } from './ticket-format.js'
import type { Category, DeskSettings, Team } from './types.js'

const NO_CATEGORIES: Category[] = []
const NO_TEAMS: Team[] = []

/** The desk's reference data: categories (and their tree), teams and settings; a failed load leaves them empty. */
export const useDesk = (options: { teams?: boolean; settings?: boolean } = {}) => {
  const { i18n } = useTranslation()
  // A till's cashier takes complaints (service.intake) without reading the desk's teams and settings.
  const reader = useSession().can('service.read')
  const english = i18n.language === 'en-US'
  const categories = useApiQuery('/api/v1/service/categories', undefined, { staleTime: REFERENCE_STALE_MS }).data ?? NO_CATEGORIES
  const teams = useApiQuery('/api/v1/service/teams', undefined, { staleTime: REFERENCE_STALE_MS, enabled: reader && options.teams !== false }).data ?? NO_TEAMS
  const settings: DeskSettings | undefined = useApiQuery('/api/v1/service/settings', undefined, { staleTime: REFERENCE_STALE_MS, enabled: reader && options.settings !== false }).data
  const tree = useMemo(() => categoryTree(categories, english), [categories, english])
  const names = useMemo(() => new Map(categories.map((c) => [c.id, categoryLabel(c, english)])), [categories, english])
  return {
    english, categories, tree, teams, settings,
    categoryName: (id: string | null) => (id ? names.get(id) ?? id : '—'),
    /** How near a deadline must be to show orange: the settings' due-soon minutes (2 h by default). */
    soonMs: (settings?.dueSoonMinutes ?? 120) * 60_000,
  }
}
