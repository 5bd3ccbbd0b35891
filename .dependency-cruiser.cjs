/** The dependency rule of DESIGN.md section 1, checked by `npm run lint`. */
const pure = '^core/(domain|policy|kpis)/';
module.exports = {
  forbidden: [
    {
      name: 'pure-core-stays-pure',
      comment: 'core/domain, core/policy and core/kpis import only each other and pure libraries.',
      severity: 'error',
      from: { path: pure },
      to: {
        pathNot: [pure, '^node_modules/(luxon|libphonenumber-js)/', '^node_modules/@types/luxon/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-core-no-node-io',
      severity: 'error',
      from: { path: pure },
      to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|node:fs|node:net|node:http|node:child_process)' },
    },
    {
      name: 'services-use-ports-not-infra',
      comment: 'core/services reach the outside only through core/ports.',
      severity: 'error',
      from: { path: '^core/(services|ports)/' },
      to: { path: ['^core/infra/', '^node_modules/(mongoose|mongodb|stripe|i18next|agenda|@agendajs|pino|fastify)/'] },
    },
    {
      name: 'core-knows-no-outer-layer',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(bots|channels|jobs|app|web)/' },
    },
    {
      name: 'bots-channels-not-infra',
      comment: 'bots and channels import core (never core/infra).',
      severity: 'error',
      from: { path: '^(bots|channels|jobs)/' },
      to: { path: '^core/infra/' },
    },
    {
      name: 'channel-is-an-island',
      comment: 'A channel never imports bots, jobs or another channel.',
      severity: 'error',
      from: { path: '^channels/([^/]+)/' },
      to: { path: ['^bots/', '^jobs/', '^channels/'], pathNot: '^channels/$1/' },
    },
    {
      name: 'jobs-send-through-ports',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^(bots|channels|app)/' },
    },
    {
      name: 'only-app-composes',
      severity: 'error',
      from: { pathNot: '^(app|test|bench)/' },
      to: { path: '^app/' },
    },
    {
      name: 'web-over-http-only',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(core|bots|channels|jobs|app)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    // Folders of DESIGN.md section 1 that exist; empty ones (not yet written) are simply absent.
    includeOnly: '^(core|bots|channels|jobs|app|web|bench|test)/|^node_modules/',
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
