/** `npm run build` step: compile the shipped YAML into dist/kb.json, or fail naming every error. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDiagnostic, sortDiagnostics } from './diagnostics.js';
import { ARTEFACT, compileSources } from './load.js';

const result = compileSources();
const errors = result.diagnostics.filter((d) => d.severity === 'error');
if (!result.kb || errors.length) {
  for (const d of sortDiagnostics(errors)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.stderr.write(`knowledge base not built: ${errors.length} error(s)\n`);
  process.exit(2);
}
mkdirSync(dirname(ARTEFACT), { recursive: true });
const tmp = `${ARTEFACT}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(result.kb));
renameSync(tmp, ARTEFACT);
