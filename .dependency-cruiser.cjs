// Import-cycle check (issue 14.5). eslint-plugin-import-x's no-cycle skips
// `import type`, but a type-only cycle is still a layering mistake, so the
// cycle check runs here, where tsPreCompilationDeps keeps type-only imports.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other, directly or through others; move the shared part into its own module.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(imports|lib|dist|node_modules)/' },
  },
};
