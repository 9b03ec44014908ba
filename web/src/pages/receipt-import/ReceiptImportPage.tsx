import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ImportWizard, type ImportKindView } from '../../components/import-wizard/index.js'
import { formatCount } from '../../format.js'
import { cancelReceiptImport, errorsCsvUrl, getReceiptImport, listReceiptImports, receiptImportErrors, type ReceiptImport } from './api.js'
import { ReceiptMappingStep, type ReceiptDraft } from './ReceiptMappingStep.js'
import { translateReceiptReason } from './reasons.js'

/** Receipts as the import wizard shows them: their words, counts and mapping and options step. */
const useReceiptImportKind = (): ImportKindView<ReceiptImport, ReceiptDraft> => {
  const { t } = useTranslation('imports', { keyPrefix: 'receipts' })
  return useMemo(() => ({
    title: t('title'), subtitle: t('subtitle'), steps: { file: t('steps.file'), mapping: t('steps.mapping'), run: t('steps.run') },
    testId: 'receipt-import', errorsTestId: 'receipt-import-errors', recentTestId: 'recent-receipt-imports',
    get: getReceiptImport, cancel: cancelReceiptImport, list: listReceiptImports, errors: receiptImportErrors, errorsCsvUrl,
    hasErrors: (imp) => imp.errorCount > 0,
    counts: (imp) => [
      { key: 'lines', title: t('run.linesRead'), value: imp.linesRead },
      { key: 'sales', title: t('run.receiptsPosted'), value: imp.receiptsPosted, color: '#389e0d' },
      { key: 'returns', title: t('run.returnsPosted'), value: imp.returnsPosted, color: '#1677ff' },
      { key: 'skipped', title: t('run.receiptsSkipped'), value: imp.receiptsSkipped },
      { key: 'members', title: t('run.membersCreated'), value: imp.membersCreated },
      { key: 'failed', title: t('run.failed'), value: imp.failed, color: imp.failed > 0 ? '#cf1322' : undefined },
    ],
    words: {
      cancelConfirm: t('run.cancelConfirm'), completed: t('result.completed'), completedWithErrors: (imp) => t('result.completedWithErrors', { count: imp.failed }),
      failed: t('result.failed'), cancelled: t('result.cancelled'),
      summary: (imp) => t('result.summary', {
        lines: formatCount(imp.linesRead), sales: formatCount(imp.receiptsPosted), returns: formatCount(imp.returnsPosted),
        skipped: formatCount(imp.receiptsSkipped), failed: formatCount(imp.failed),
      }),
      errors: t('result.errors'), errorsHint: t('result.errorsHint'), noErrors: t('result.noErrors'), download: t('result.download'), refused: t('run.failed'),
    },
    recentColumns: [
      { key: 'lines', title: t('recent.lines'), render: (r) => formatCount(r.linesRead) },
      { key: 'posted', title: t('recent.posted'), render: (r) => formatCount(r.receiptsPosted + r.returnsPosted) },
    ],
    translateReason: (reason) => translateReceiptReason(t, reason),
    MappingStep: ReceiptMappingStep,
  }), [t])
}

/**
 * Receipt import: the import wizard with the POS export's mapping and options (store, time
 * zone, points, members, returns).
 */
export const ReceiptImportPage = () => <ImportWizard kind={useReceiptImportKind()} />

export default ReceiptImportPage
