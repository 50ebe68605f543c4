/** Messages about knowledge files, in the `file:line:col: severity: message (code)` form editors understand. */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: Severity;
  message: string;
  /** Rule, fact or cause id the message is about, or a check name. */
  code?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const code = d.code ? ` (${d.code})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}${code}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}
