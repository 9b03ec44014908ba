import { useQuery } from '@tanstack/react-query'
import { api, call } from '../api.js'
import { formatDate, formatMoney, useI18n } from '../i18n.js'
import { Loaded, Section } from '../ui.js'

/** The tier and the way to the next: the chain's rule (spend or points over 12 months), what is missing, and whether the tier is kept. */
export const TierProgress = () => {
  const { t } = useI18n()
  const tier = useQuery({ queryKey: ['tier'], queryFn: () => call(api.GET('/api/v1/me/tier')) })
  return (
    <Section title={t('tierTitle')} testId="tier-progress">
      <Loaded query={tier}>
        {(p) => {
          const amount = (n: number) => (p.basis === 'spend' ? formatMoney(n) : t('pointsN', { n: n.toLocaleString('en-US') }))
          return (
            <>
              <div className="row-title"><b>{p.tier?.name ?? t('noTier')}</b>{p.tierSince && <span className="small muted">{t('tierSince', { date: formatDate(p.tierSince) })}</span>}</div>
              <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.progress * 100)}><div style={{ width: `${Math.round(p.progress * 100)}%` }} /></div>
              <div className="small">{p.next && p.missing !== null ? t('tierNext', { tier: p.next.name, missing: amount(p.missing) }) : t('tierTop')}</div>
              <div className="small muted">{t(p.basis === 'spend' ? 'tierBasisSpend' : 'tierBasisPoints', { from: p.windowFrom, to: p.windowTo, value: amount(p.value) })}</div>
              {p.keep && <div className="small minus">{p.keep.downgradeAt ? t('tierKeepMissingBy', { missing: amount(p.keep.missing), date: formatDate(p.keep.downgradeAt) }) : t('tierKeepMissing', { missing: amount(p.keep.missing) })}</div>}
            </>
          )
        }}
      </Loaded>
    </Section>
  )
}
