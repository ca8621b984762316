// Builds dist/ as n8n loads it: one CommonJS file per credential and node listed in package.json's
// `n8n` section, each bundling the core's pure code (and jose) so that the package has no runtime
// dependencies; n8n-workflow stays external (n8n provides it). The icons are copied beside.
import { cp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const outputs = [...pkg.n8n.credentials, ...pkg.n8n.nodes];

await rm(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // dist/nodes/X/X.node.js ← nodes/X/X.node.ts
  entryPoints: outputs.map((out) => ({
    in: out.replace(/^dist\//, '').replace(/\.js$/, '.ts'),
    out: out.replace(/^dist\//, '').replace(/\.js$/, ''),
  })),
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['n8n-workflow'],
  // The core's package exports point at its built ESM files; prefer them over any "browser" field.
  mainFields: ['module', 'main'],
  conditions: ['node', 'import', 'default'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
await cp(join(root, 'icons'), join(root, 'dist', 'icons'), { recursive: true });
console.log(`built ${outputs.length} files into dist/`);
