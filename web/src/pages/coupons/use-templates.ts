import { useCallback, useMemo } from 'react'
import { useApiQuery } from '../../api/query.js'
import { useSession } from '../../auth/session.js'
import type { CouponReport, TemplateStatus } from './types.js'

/**
 * Coupon templates (optionally of one status) with their report figures when the user may see
 * reports; `load` reads both again.
 */
export const useTemplates = (status?: TemplateStatus) => {
  const { can } = useSession()
  const reportsAllowed = can('rewards.reports')
  const templatesQuery = useApiQuery('/api/v1/coupon-templates', { params: { query: status ? { status } : {} } })
  const reportsQuery = useApiQuery('/api/v1/coupon-reports', { params: { query: {} } }, { enabled: reportsAllowed })
  const templates = templatesQuery.data ?? null
  const reports = useMemo(() => new Map<string, CouponReport>((reportsQuery.data ?? []).map((x) => [x.templateId, x])), [reportsQuery.data])
  const { refetch: refetchTemplates } = templatesQuery
  const { refetch: refetchReports } = reportsQuery
  const load = useCallback(() => {
    void refetchTemplates()
    if (reportsAllowed) void refetchReports()
  }, [refetchTemplates, refetchReports, reportsAllowed])

  const names = useMemo(() => new Map((templates ?? []).map((x) => [x.id, x.name])), [templates])
  const templateName = useCallback((id: string) => names.get(id) ?? id, [names])
  return { templates, reports, reportsAllowed, loading: templatesQuery.isFetching, error: templatesQuery.error, load, templateName }
}
