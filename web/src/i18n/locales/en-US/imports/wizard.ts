import type zh from '../../zh-CN/imports/wizard.js'
import type { Translation } from '../../../types.js'

export default {
  file: {
    drop: 'Click or drag a CSV file here',
    hint: '.csv or gzip-compressed .gz; the first line holds the column names; UTF-8; up to 1 GB',
    reading: 'Reading the file…',
    selected: 'Selected: {{name}} ({{size}})',
    preview: 'Preview (first {{count}} rows)',
    previewTruncated: 'Only the first {{count}} rows are shown; the server reads the whole file after the upload',
    notUtf8: 'The file is not UTF-8. In Excel, use "Save as → CSV UTF-8 (comma delimited)" and choose it again.',
    noHeader: 'The file is empty or has no header line',
    unreadable: 'Could not read the file: {{reason}}',
    gzipUnsupported: 'This browser cannot preview .gz files; use a current Chrome / Edge or upload the uncompressed .csv',
    notComma: 'The file does not look comma-separated (only one column found). Columns must be separated by commas.',
    badType: 'Choose a .csv or .gz file',
    next: 'Next: map columns',
  },
  run: {
    running: 'Importing…',
    leaveHint: 'The import runs on the server: leaving this page does not stop it, and its result shows under "Recent imports".',
    another: 'Import another file',
    cancel: 'Cancel import',
    cancelling: 'Cancelling…',
  },
  result: {
    stoppedAt: 'Why it stopped: {{detail}}',
    line: 'Line',
    column: 'Column',
    value: 'Value',
    reason: 'Reason',
    total: '{{total}} in all',
    loadMore: 'Load more',
  },
  recent: {
    title: 'Recent imports',
    createdAt: 'Started',
    file: 'File',
    status: 'Status',
    view: 'View',
    refresh: 'Refresh',
  },
  status: {
    running: 'Running',
    completed: 'Completed',
    failed: 'Failed',
    cancelled: 'Cancelled',
  },
} satisfies Translation<typeof zh>
