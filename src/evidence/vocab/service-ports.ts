/**
 * The service ports the backup products need, as the blocked_port fact names them, the service names
 * tools print for them instead of numbers (tcpdump without -nn, Wireshark, nc's "[tcp/vnetd]"), and the
 * admin's notes that put a test after a fix ("# after opening 2049 on the firewall").
 */

/** blocked_port values (kb/facts/connection.yaml) by port. */
const BLOCKED_PORT_VALUES: ReadonlyMap<number, string> = new Map([
  [1556, 'pbx_1556'],
  [13724, 'vnetd_13724'],
  [13782, 'bpcd_13782'],
  [111, 'rpc_111'],
  [2049, 'nfs_2049'],
  [2051, 'ddboost_2051'],
  [22, 'ssh_22'],
  [10080, 'amanda_10080'],
  [10082, 'amindexd_10082'],
  [10083, 'amidxtaped_10083'],
]);

/** NetBackup daemons reached on their own port by old releases; needed by the product but not a blocked_port choice. */
const OTHER_PRODUCT_PORTS = new Set([13720, 13721, 13722]);

/** Service names from /etc/services and Wireshark's services file, for the ports readers care about. */
const SERVICE_NAMES: ReadonlyMap<string, number> = new Map([
  ['veritas_pbx', 1556],
  ['veritas-pbx', 1556],
  ['vnetd', 13724],
  ['bpcd', 13782],
  ['bprd', 13720],
  ['bpdbm', 13721],
  ['bpjava-msvc', 13722],
  ['sunrpc', 111],
  ['rpcbind', 111],
  ['nfs', 2049],
  ['nfsd', 2049],
  ['shilp', 2049],
  ['epnsdp', 2051],
  ['ssh', 22],
  ['amanda', 10080],
  ['amandaidx', 10082],
  ['amidxtape', 10083],
  ['telnet', 23],
  ['domain', 53],
  ['http', 80],
  ['www', 80],
  ['https', 443],
  ['microsoft-ds', 445],
  ['ms-wbt-server', 3389],
]);

/** The blocked_port value of a port: its own choice, or "other". */
export function blockedPortValue(port: number): string {
  return BLOCKED_PORT_VALUES.get(port) ?? 'other';
}

/** A port one of the products needs (every blocked_port choice, and NetBackup's legacy daemon ports). */
export function isProductPort(port: number): boolean {
  return BLOCKED_PORT_VALUES.has(port) || OTHER_PRODUCT_PORTS.has(port);
}

/**
 * A port whose test says something about a backup service. SSH 22 is a product port (Avamar replication),
 * but admins test it for everything, so a working SSH alone says nothing about the failing step.
 */
export function isBackupServicePort(port: number): boolean {
  return isProductPort(port) && port !== 22;
}

/** A port token as printed: "1556", "vnetd", "veritas_pbx", "tcp/ssh". Undefined when it is neither. */
export function portNumber(token: string): number | undefined {
  const t = token.toLowerCase().replace(/^tcp\//, '');
  if (/^\d{1,5}$/.test(t)) {
    const n = Number(t);
    return n > 0 && n <= 65535 ? n : undefined;
  }
  return SERVICE_NAMES.get(t);
}

const CHANGE_WORDS = /\b(?:fix|fixed|fixing|open|opened|opening|allow|allowed|allowing|rules?|chang(?:e|ed|ing)|restart(?:ed|ing)?|reboot(?:ed|ing)?|enabl(?:e|ed|ing)|firewall|add(?:ed|ing)|start(?:ed|ing)? (?:the )?(?:service|daemon|pbx|vnetd|nfs|xinetd))\b/;

/**
 * Whether an admin's note puts what follows after a fix ("# after opening the port", "=== retest after
 * the firewall change ===") or before one ("# before the change"); undefined for other notes.
 */
export function fixPhase(note: string): 'after' | 'before' | undefined {
  const t = note.toLowerCase();
  if (/\bbefore\b/.test(t) && CHANGE_WORDS.test(t)) return 'before';
  if (/\b(?:after|once|since|now that)\b/.test(t) && CHANGE_WORDS.test(t)) return 'after';
  if (/\bre-?test(?:ed|ing)?\b|\bworks now\b|\bnow (?:it )?works\b|^fixed\b/.test(t)) return 'after';
  return undefined;
}
