export { createImportEngine } from './import-engine.js'
export type { FileRun, ImportEngine, ImportEngineDeps, ImportKind, ImportProgressOf, ImportRun, ImportStatus, KindRun, KindRunHooks, RowProblem } from './import-engine.js'
export type { ImportErrorsTable, ImportsTable, ImportsTables } from './imports.table.js'
export { importsAuditLabels } from './imports.audit-labels.js'
