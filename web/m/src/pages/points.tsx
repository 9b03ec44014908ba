import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { api, call, type Me } from '../api.js'
import { formatDate, formatDateTime, useI18n, type WordKey } from '../i18n.js'
import { Button, Empty, Loaded, Page, Row, Section } from '../ui.js'
import { TierProgress } from './tier.js'

/** Points: the balance, what expires when, the tier's progress, and the ledger with the receipt behind each entry. */
export const PointsPage = ({ me }: { me: Me }) => {
  const { t } = useI18n()
  const meQuery = useQuery({ queryKey: ['me'], queryFn: () => call(api.GET('/api/v1/me')), initialData: me })
  const m = meQuery.data
  const entries = useInfiniteQuery({
    queryKey: ['points-entries'],
    queryFn: ({ pageParam }) => call(api.GET('/api/v1/me/points/entries', { params: { query: { limit: 30, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  return (
    <Page title={t('points')} back="/" testId="points-page">
      <div className="stat-row">
        <div className="stat"><b data-testid="balance">{m.points.balance.toLocaleString('en-US')}</b><span>{t('balance')}</span></div>
        <div className="stat"><b>{m.points.spendable.toLocaleString('en-US')}</b><span>{t('spendable')}</span></div>
      </div>
      {m.points.expiring.length > 0 && (
        <Section title={t('expiringTitle')}>
          <div className="list">
            {m.points.expiring.map((e) => <Row key={e.expiresOn} title={formatDate(e.expiresOn)} extra={`${e.points}`} />)}
          </div>
        </Section>
      )}
      <TierProgress />
      <Section title={t('ledger')}>
        <Loaded query={entries}>
          {(data) => {
            const list = data.pages.flatMap((p) => p.items)
            if (list.length === 0) return <Empty>{t('noEntries')}</Empty>
            return (
              <>
                <div className="list">
                  {list.map((e) => (
                    <Row key={e.id} testId="ledger-entry"
                      title={t(`entry_${e.kind}` as WordKey)}
                      sub={<>{formatDateTime(e.createdAt)}{e.receiptNo ? ` · ${t('receiptNo', { no: e.receiptNo })}` : ''}{e.reason ? ` · ${e.reason}` : ''}</>}
                      extra={<b className={e.points >= 0 ? 'plus' : 'minus'}>{e.points > 0 ? `+${e.points}` : e.points}</b>} />
                  ))}
                </div>
                {entries.hasNextPage && <Button block loading={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>{t('more')}</Button>}
              </>
            )
          }}
        </Loaded>
      </Section>
    </Page>
  )
}
