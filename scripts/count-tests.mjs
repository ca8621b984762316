// Sums the vitest JSON reports of every package into one "N passed, N failed" line.
// A package whose test task ran no test file, or whose report is missing, counts as a failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let skipped = 0;
let failed = 0;
const missing = [];
for (const group of ['packages', 'apps', '.']) {
  const base = join(root, group);
  const dirs = group === '.' ? ['bench'] : readdirSync(base);
  for (const dir of dirs) {
    const pkg = join(base, dir, 'package.json');
    if (!existsSync(pkg)) continue;
    const manifest = JSON.parse(readFileSync(pkg, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const report = join(base, dir, 'test-results.json');
    if (!existsSync(report)) {
      missing.push(manifest.name);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    // A test file that failed on its own (an import or a beforeAll) counts as one failure even when
    // none of its tests did: vitest then reports its tests as skipped.
    const brokenFiles = (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    failed += (r.numFailedTests ?? 0) + brokenFiles;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (r.numTotalTests === 0) missing.push(`${manifest.name} (no tests ran)`);
  }
}
if (missing.length > 0) console.error(`test reports missing or empty: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed + missing.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + missing.length > 0 ? 1 : 0);
