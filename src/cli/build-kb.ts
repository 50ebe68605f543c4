/** `npm run build` step: compile the shipped YAML into dist/kb.json, or fail naming every error. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDiagnostic, sortDiagnostics } from '../kb/diagnostics.js';
import { ARTEFACT, compileSources } from '../kb/load.js';
import { makeAjv, PRECOMPILED_DIR, VALIDATOR_IDS } from '../kb/schema-check.js';
import { declaredObservations } from '../evidence/catalog.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

// The schemas may have changed since the last build: validate with them as they are now, not with the
// standalone validators the previous build left in dist/.
process.env.BACKUP_TRIAGE_COMPILE_SCHEMAS = '1';
const result = compileSources({ observations: declaredObservations() });
const errors = result.diagnostics.filter((d) => d.severity === 'error');
if (!result.kb || errors.length) {
  for (const d of sortDiagnostics(errors)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.stderr.write(`knowledge base not built: ${errors.length} error(s)\n`);
  process.exit(2);
}
mkdirSync(dirname(ARTEFACT), { recursive: true });
// Schemas as ajv standalone code: loading it costs a few ms instead of compiling the schema each run.
const ajv = makeAjv({ code: { source: true } });
mkdirSync(PRECOMPILED_DIR, { recursive: true });
for (const [name, id] of Object.entries(VALIDATOR_IDS)) {
  writeAtomically(new URL(`${name}.cjs`, PRECOMPILED_DIR).pathname, standaloneCode.default(ajv, ajv.getSchema(id)!));
}

writeAtomically(ARTEFACT, JSON.stringify(result.kb));

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
