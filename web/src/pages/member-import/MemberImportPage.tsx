import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ImportWizard, type ImportKindView } from '../../components/import-wizard/index.js'
import { formatCount } from '../../format.js'
import { cancelImport, errorsCsvUrl, getImport, importErrors, listImports, type MemberImport } from './api.js'
import { MappingStep, type Draft } from './MappingStep.js'
import { translateReason } from './reasons.js'

/** Members as the import wizard shows them: their words, counts and mapping step. */
const useMemberImportKind = (): ImportKindView<MemberImport, Draft> => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  return useMemo(() => ({
    title: t('title'), subtitle: t('subtitle'), steps: { file: t('steps.file'), mapping: t('steps.mapping'), run: t('steps.run') },
    testId: 'import', errorsTestId: 'import-errors-table', recentTestId: 'recent-imports',
    get: getImport, cancel: cancelImport, list: listImports, errors: importErrors, errorsCsvUrl,
    hasErrors: (imp) => imp.failed > 0,
    counts: (imp) => [
      { key: 'rows', title: t('run.rowsRead'), value: imp.rowsRead },
      { key: 'inserted', title: t('run.inserted'), value: imp.inserted, color: '#389e0d' },
      { key: 'updated', title: t('run.updated'), value: imp.updated, color: '#1677ff' },
      { key: 'skipped', title: t('run.skipped'), value: imp.skipped },
      { key: 'failed', title: t('run.failed'), value: imp.failed, color: imp.failed > 0 ? '#cf1322' : undefined },
    ],
    words: {
      cancelConfirm: t('run.cancelConfirm'), completed: t('result.completed'), completedWithErrors: (imp) => t('result.completedWithErrors', { count: imp.failed }),
      failed: t('result.failed'), cancelled: t('result.cancelled'),
      summary: (imp) => t('result.summary', { rows: formatCount(imp.rowsRead), inserted: formatCount(imp.inserted), updated: formatCount(imp.updated), skipped: formatCount(imp.skipped), failed: formatCount(imp.failed) }),
      errors: t('result.errors'), errorsHint: t('result.errorsHint'), noErrors: t('result.noErrors'), download: t('result.download'), refused: t('run.failed'),
    },
    recentColumns: [
      { key: 'rows', title: t('recent.rows'), render: (r) => formatCount(r.rowsRead) },
      { key: 'inserted', title: t('run.inserted'), render: (r) => formatCount(r.inserted) },
      { key: 'updated', title: t('run.updated'), render: (r) => formatCount(r.updated) },
      { key: 'skipped', title: t('run.skipped'), render: (r) => formatCount(r.skipped) },
    ],
    translateReason: (reason) => translateReason(t, reason),
    MappingStep,
  }), [t])
}

/** Member import: the import wizard with the member file's mapping and options. */
export const MemberImportPage = () => <ImportWizard kind={useMemberImportKind()} />

export default MemberImportPage
