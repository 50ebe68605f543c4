/** `backup-triage evidence FILE...` — what was recognised in each file and which facts it yields. */
export async function evidenceCommand(args: string[]): Promise<number> {
  const { evidenceReport } = await import('../../evidence/report.js');
  return evidenceReport(args);
}
