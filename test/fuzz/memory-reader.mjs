// Child process of memory.fuzz.ts: read one evidence file with the built CLI's readEvidenceFiles (dist/) in a
// fresh process (no test-runner heap in the numbers) and report the peak RSS growth over the baseline.
const [root, file] = process.argv.slice(2);
const { readEvidenceFiles } = await import(`${root}/dist/evidence/read.js`);
const { readArtefact } = await import(`${root}/dist/kb/artefact.js`);
const { indexKnowledge } = await import(`${root}/dist/inference/knowledge.js`);
const k = indexKnowledge(readArtefact());
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const t = Date.now();
const r = await readEvidenceFiles(k, [file], { redact: true });
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ base, peak, ms: Date.now() - t, bytes: r.findings[0].bytes, lines: r.findings[0].lines }));
