/**
 * The processes, ports and service units of the backup products, as host checks print them: process names in
 * audit records and socket tables, listening ports, systemd units. One list, so the readers agree with each
 * other and with the message signatures (kb/signatures/host-security.yaml uses the same daemon names).
 */

/**
 * Backup daemons and the launchers that run them (the kernel's comm= name, cut to 15 characters). Kept equal
 * to the list of the signature selinux-avc-denied-backup-daemon.
 */
export const BACKUP_PROCESSES: ReadonlySet<string> = new Set(
  (
    'amandad amindexd amidxtaped amdump dumper planner sendbackup sendsize xinetd ' +
    'bpcd bpbkar bpbrm bptm vnetd pbx_exchange nbdisco nbpxyhelper ' +
    'avagent avtar ddboost rsync bacula-fd bareos-fd dsmc dsmcad'
  ).split(' '),
);

/**
 * Launchers: they start the daemon that does the work, under another name. A search for the launcher's own
 * records (`ausearch -c xinetd`) says nothing about the daemon it starts.
 */
export const LAUNCHERS: ReadonlySet<string> = new Set(['xinetd', 'inetd', 'systemd']);

/** Is this process name (comm, or the last part of an exe path) a backup daemon or its launcher? */
export function isBackupProcess(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase().replace(/\.exe$/, '');
  return BACKUP_PROCESSES.has(base) || BACKUP_PROCESSES.has(base.slice(0, 15));
}

export type Proto = 'tcp' | 'udp';

/**
 * The ports a backup step connects to, and the protocols a listener may use on them. Amanda's 10080 is UDP
 * with bsd auth and TCP with bsdtcp auth, and rpcbind (111) listens on both; an absence on those needs both.
 */
export const BACKUP_PORTS: ReadonlyMap<number, readonly Proto[]> = new Map<number, readonly Proto[]>([
  [1556, ['tcp']],
  [13724, ['tcp']],
  [13782, ['tcp']],
  [13720, ['tcp']],
  [10080, ['udp', 'tcp']],
  [10081, ['tcp']],
  [10082, ['tcp']],
  [10083, ['tcp']],
  [111, ['udp', 'tcp']],
  [2049, ['tcp']],
  [2051, ['tcp']],
  [22, ['tcp']],
]);

/** systemd / SysV service names of backup daemons (or their launcher), and the ports they serve. */
export const BACKUP_UNITS: ReadonlyMap<string, readonly number[]> = new Map<string, readonly number[]>([
  ['xinetd', [10080, 10082, 10083]],
  ['amanda', [10080]],
  ['amanda-udp', [10080]],
  ['amandaidx', [10082]],
  ['amidxtape', [10083]],
  ['vxpbx_exchanged', [1556]],
  ['netbackup', [1556, 13724, 13782]],
  ['vnetd', [13724]],
  ['bpcd', [13782]],
  ['rpcbind', [111]],
  ['nfs-server', [2049]],
  ['sshd', [22]],
  ['ssh', [22]],
]);

/** The unit name without its ".service"/".socket" suffix and template instance ("amanda@" → "amanda"). */
export function unitBase(unit: string): string {
  return unit.toLowerCase().replace(/\.(?:service|socket)$/, '').replace(/@.*$/, '');
}

/**
 * Is this local address (as socket tools print it, port taken off) a loopback one? 127.0.0.0/8, ::1,
 * ::ffff:127.x, "localhost"; wildcards (0.0.0.0, *, ::, [::]) and other addresses are not.
 */
export function isLoopback(addr: string): boolean {
  let a = addr.toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const pct = a.indexOf('%');
  if (pct >= 0) a = a.slice(0, pct);
  if (a.startsWith('::ffff:')) a = a.slice(7);
  return a === '::1' || a === 'localhost' || a === 'ip6-localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || a === '0:0:0:0:0:0:0:1';
}
