// Import rules of the server (issue 11 §3), checked by `npm run lint` and CI.
// Type-only imports count: `import type` ties files together as much as a value import does
// when it comes to reading and changing them (the old 22-file cycle went through them).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-not-to-adapters',
      severity: 'error',
      comment: 'Modules know nothing of the adapters (HTTP, CLI, jobs, demo) nor of the wiring in services.ts; adapters call modules.',
      from: { path: '^src/modules/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(http|cli|jobs|demo)/|^src/services\\.ts$' },
    },
    {
      name: 'modules-through-index',
      severity: 'error',
      comment: "A module reaches another module only through its index.ts, never its inner files.",
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'shared-imports-no-module',
      severity: 'error',
      comment: 'src/shared is below every module: it imports no module, adapter or wiring.',
      from: { path: '^src/shared/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(modules|http|cli|jobs|demo|db)/|^src/services\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a file that moved.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^(src|test|scripts)/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
