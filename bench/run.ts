/**
 * `npm run bench [name...]`: runs every benchmark (or the named ones) in this folder. Each one
 * prints its figures and its ratio against a baseline measured in the same run.
 */
const benches: Record<string, () => Promise<string>> = {
  import: async () => (await import('./import.bench.js')).run(),
  kpis: async () => (await import('./kpis.bench.js')).run(),
  directline: async () => (await import('./directline.bench.js')).run(),
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  console.log(await run());
}
