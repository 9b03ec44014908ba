import { useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, call, type Schemas } from '../api.js'
import { formatDateTime, formatMoney, useI18n } from '../i18n.js'
import { Button, Empty, Loaded, Page, Row, Sheet } from '../ui.js'

type Receipt = Schemas['Receipt']

/** 电子小票: every receipt with its lines, returns beside the sales they reverse. */
export const ReceiptsPage = () => {
  const { t } = useI18n()
  const [open, setOpen] = useState<Receipt | null>(null)
  const receipts = useInfiniteQuery({
    queryKey: ['receipts'],
    queryFn: ({ pageParam }) => call(api.GET('/api/v1/me/receipts', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  return (
    <Page title={t('receipts')} testId="receipts-page">
      <Loaded query={receipts}>
        {(data) => {
          const list = data.pages.flatMap((p) => p.items)
          if (list.length === 0) return <Empty>{t('noReceipts')}</Empty>
          return (
            <>
              <div className="list">
                {list.map((r) => (
                  <Row key={r.id} testId="receipt" onClick={() => setOpen(r)}
                    title={<>{r.storeName ?? r.storeCode}{r.kind === 'return' && <span className="tag">{t('returnTag')}</span>}</>}
                    sub={formatDateTime(r.businessAt)}
                    extra={<div className="right"><div>{formatMoney(r.total)}</div>{r.points !== 0 && <div className="small muted">{t('pointsDelta', { points: r.points > 0 ? `+${r.points}` : r.points })}</div>}</div>} />
                ))}
              </div>
              {receipts.hasNextPage && <Button block loading={receipts.isFetchingNextPage} onClick={() => void receipts.fetchNextPage()}>{t('more')}</Button>}
            </>
          )
        }}
      </Loaded>
      <Sheet open={open !== null} onClose={() => setOpen(null)} title={open ? `${open.storeName ?? ''} ${open.receiptNo}` : ''}>
        {open && (
          <div className="receipt" data-testid="receipt-detail">
            <div className="small muted">{formatDateTime(open.businessAt)}{open.kind === 'return' && open.originalReceiptNo ? ` · ${t('returnOf', { no: open.originalReceiptNo })}` : ''}</div>
            <table>
              <tbody>
                {open.lines.map((l) => (
                  <tr key={l.lineNo}>
                    <td>{l.name ?? l.sku}<div className="small muted">{l.quantity} × {formatMoney(l.unitPrice)}{l.returnedQuantity > 0 ? ` · ${t('returnedQty', { n: l.returnedQuantity })}` : ''}</div></td>
                    <td className="right">{formatMoney(l.amount)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr><th>{t('total')}</th><th className="right">{formatMoney(open.total)}</th></tr>
                <tr><td>{t('pointsEarned')}</td><td className="right">{open.points}</td></tr>
                {open.pointsUsed > 0 && <tr><td>{t('pointsUsed')}</td><td className="right">{open.pointsUsed}</td></tr>}
              </tfoot>
            </table>
          </div>
        )}
      </Sheet>
    </Page>
  )
}
