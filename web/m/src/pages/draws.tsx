import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../api.js'
import { formatDateTime, useI18n, type WordKey } from '../i18n.js'
import { Button, Empty, Loaded, Note, Page, Section, toast } from '../ui.js'

/** Lucky draws: enter the open ones (their cost and limits), see what each entry won. */
export const DrawsPage = () => {
  const { t, errorText } = useI18n()
  const queryClient = useQueryClient()
  const draws = useQuery({ queryKey: ['draws'], queryFn: () => call(api.GET('/api/v1/me/draws')) })
  const enter = useMutation({
    mutationFn: (drawId: string) => call(api.POST('/api/v1/me/draws/{drawId}/entries', { params: { path: { drawId } } })),
    onSuccess: (entry) => {
      toast(entry.outcome === 'won' ? t('drawWon', { prize: entry.prizeName ?? '' }) : t('drawLost'))
      void queryClient.invalidateQueries({ queryKey: ['draws'] })
      void queryClient.invalidateQueries({ queryKey: ['me'] })
      if (entry.couponCode) void queryClient.invalidateQueries({ queryKey: ['coupons'] })
    },
  })
  return (
    <Page title={t('draws')} back="/" testId="draws-page">
      {enter.error && <Note kind="error">{errorText(enter.error)}</Note>}
      <Loaded query={draws}>
        {({ items }) => items.length === 0 ? <Empty>{t('noDraws')}</Empty> : (
          <>
            {items.map((d) => (
              <Section key={d.id} title={d.name} extra={<span className="tag">{t(`drawState_${d.state}` as WordKey)}</span>} testId="draw">
                {d.description && <p className="small">{d.description}</p>}
                <p className="small muted">{formatDateTime(d.startsAt)} – {formatDateTime(d.endsAt)}</p>
                {d.prizes.length > 0 && <p className="small">{t('prizes')}: {d.prizes.map((p) => p.name).join('、')}</p>}
                <p className="small">{d.cost > 0 ? t('drawCost', { n: d.cost }) : t('drawFree')}{d.entriesLeft !== null ? ` · ${t('entriesLeft', { n: d.entriesLeft })}` : ''}</p>
                {d.myEntries.length > 0 && (
                  <div className="small">
                    {d.myEntries.map((e) => (
                      <div key={e.id}>{formatDateTime(e.createdAt)} · {e.outcome === 'won' ? <b className="plus">{t('wonPrize', { prize: e.prizeName ?? '' })}</b> : <span className="muted">{t('noPrize')}</span>}</div>
                    ))}
                  </div>
                )}
                {d.state === 'open' && (
                  d.canEnter
                    ? <Button kind="primary" block loading={enter.isPending && enter.variables === d.id} onClick={() => enter.mutate(d.id)} data-testid="draw-enter">{t('drawEnter')}</Button>
                    : d.block && <p className="small muted">{t(`drawBlock_${d.block}` as WordKey)}</p>
                )}
              </Section>
            ))}
          </>
        )}
      </Loaded>
    </Page>
  )
}
