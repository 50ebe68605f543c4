/**
 * What kind of evidence a file is, from its first lines. Structured kinds have a parser; the others are
 * logs read by message signatures only (kb/signatures), named here so the report can say what it saw.
 */
import { PARSERS } from './parsers/index.js';
import type { ParserDef } from './parsers/types.js';

export interface SignatureKind {
  kind: string;
  label: string;
  detect: RegExp[];
}

/** Logs that have no parser: their lines are read by signatures. */
export const SIGNATURE_KINDS: readonly SignatureKind[] = [
  { kind: 'avtar', label: 'Avamar avtar log', detect: [/\bavtar\s+(?:FATAL|Error|Info|Warning)\s*</i, /\[avtar\]/] },
  { kind: 'ddpconnchk', label: 'Data Domain ddpconnchk output', detect: [/DDP CLIENT LIBRARY VERSION|CONNECT SERVER TEST|ddpconnchk|^DDLOG:/] },
  { kind: 'audit', label: 'SELinux audit log / ausearch', detect: [/^type=(?:AVC|SYSCALL|USER_AVC)\s+msg=audit\(/, /avc:\s+denied/] },
  { kind: 'kernel', label: 'kernel log (dmesg / journal)', detect: [/^\s*\[\s*\d+\.\d+\]\s/, /\bkernel:\s/] },
  { kind: 'amanda', label: 'Amanda log / report', detect: [/\bamandad?\b|\bamindexd\b|\bamdump\b|\bdumper\b|\bamrecover\b|\bdriver:\s/i] },
  { kind: 'vprotect', label: 'vProtect log', detect: [/vprotect/i, /Timeout waiting for device/] },
  { kind: 'netbackup-log', label: 'NetBackup log', detect: [/\b(?:bpbrm|bpcd|vnetd|bptm|nbpxyhelper|bpdbm|nbjm)\b/] },
];

export interface Detected {
  /** Kinds recognised in the first lines, best first. */
  kinds: string[];
  labels: string[];
}

export function findParser(kind: string): ParserDef | undefined {
  const k = kind.toLowerCase();
  return PARSERS.find((p) => p.kind === k || p.aliases?.includes(k));
}

export function knownKinds(): string[] {
  return [...PARSERS.flatMap((p) => [p.kind, ...(p.aliases ?? [])]), ...SIGNATURE_KINDS.map((s) => s.kind)];
}

export function isKnownKind(kind: string): boolean {
  return knownKinds().includes(kind.toLowerCase());
}

export function detectKinds(head: readonly string[]): Detected {
  const scored: { kind: string; label: string; score: number }[] = [];
  for (const d of [...PARSERS, ...SIGNATURE_KINDS]) {
    let score = 0;
    for (const line of head) if (d.detect.some((re) => re.test(line))) score++;
    if (score) scored.push({ kind: d.kind, label: d.label, score });
  }
  scored.sort((a, b) => b.score - a.score);
  return { kinds: scored.map((s) => s.kind), labels: scored.map((s) => s.label) };
}
