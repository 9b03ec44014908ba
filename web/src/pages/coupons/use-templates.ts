import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, call } from '../../api/client.js'
import { useSession } from '../../auth/session.js'
import type { CouponReport, CouponTemplate, TemplateStatus } from './types.js'

/**
 * Coupon templates (optionally of one status) with their report figures when the user may see
 * reports; `load` reads both again.
 */
export const useTemplates = (status?: TemplateStatus) => {
  const { can } = useSession()
  const reportsAllowed = can('rewards.reports')
  const [templates, setTemplates] = useState<CouponTemplate[] | null>(null)
  const [reports, setReports] = useState<Map<string, CouponReport>>(new Map())
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(() => {
    let live = true
    setLoading(true)
    setError(null)
    call(api.GET('/api/v1/coupon-templates', { params: { query: status ? { status } : {} } }))
      .then((list) => live && setTemplates(list), (err: unknown) => live && setError(err))
      .finally(() => live && setLoading(false))
    if (reportsAllowed) {
      call(api.GET('/api/v1/coupon-reports', { params: { query: {} } }))
        .then((r) => live && setReports(new Map(r.map((x) => [x.templateId, x]))), () => undefined)
    }
    return () => {
      live = false
    }
  }, [status, reportsAllowed])
  useEffect(load, [load])

  const names = useMemo(() => new Map((templates ?? []).map((x) => [x.id, x.name])), [templates])
  const templateName = useCallback((id: string) => names.get(id) ?? id, [names])
  return { templates, reports, reportsAllowed, loading, error, load, templateName }
}
