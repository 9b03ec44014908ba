// One import wizard for every kind of import (members, receipts, and the kinds to come).
export { ImportWizard } from './ImportWizard.js'
export { ImportRun, ImportStatusTag } from './ImportRun.js'
export { RecentImports } from './RecentImports.js'
export { FileStep, PreviewTable, type ChosenFile } from './FileStep.js'
export { formatBytes, readPreview, type FilePreview } from './csv-preview.js'
export { percentDone, reportUrl, uploadImport } from './upload.js'
export type { ImportCount, ImportKindView, ImportProblem, ImportRunBase, ImportStatus, MappingStepProps } from './types.js'
