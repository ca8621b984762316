// Build step: bundles the workflows once (dist/workflow-bundle.js), so that a worker starts without
// running webpack (faster, and about 140 MB less memory than bundling at start).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const { code } = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)),
  logger: new DefaultLogger('WARN'),
});
writeFileSync(fileURLToPath(new URL('./workflow-bundle.js', import.meta.url)), code);
