/**
 * TCP state names as socket tools print them, to one canonical spelling: netstat (Linux, Windows, Solaris,
 * AIX, localised Windows), ss (ESTAB, TIME-WAIT), PowerShell's Get-NetTCPConnection (TimeWait) and the
 * filter words of `ss state …`.
 */
export const TCP_STATES: Record<string, string> = {
  ESTABLISHED: 'ESTABLISHED', ESTAB: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT', 'SYN-SENT': 'SYN_SENT', SYN_SEND: 'SYN_SENT', SYNSENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV', 'SYN-RECV': 'SYN_RECV', SYN_RECEIVED: 'SYN_RECV', SYNRECEIVED: 'SYN_RECV', SYN_RCVD: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1', 'FIN-WAIT-1': 'FIN_WAIT1', FIN_WAIT_1: 'FIN_WAIT1', FINWAIT1: 'FIN_WAIT1', FIN_WAIT_1_: 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2', 'FIN-WAIT-2': 'FIN_WAIT2', FIN_WAIT_2: 'FIN_WAIT2', FINWAIT2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT', 'TIME-WAIT': 'TIME_WAIT', TIMEWAIT: 'TIME_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT', 'CLOSE-WAIT': 'CLOSE_WAIT', CLOSEWAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK', 'LAST-ACK': 'LAST_ACK', LASTACK: 'LAST_ACK',
  CLOSING: 'CLOSING', CLOSED: 'CLOSED', CLOSE: 'CLOSED',
  LISTEN: 'LISTEN', LISTENING: 'LISTEN',
  BOUND: 'BOUND', IDLE: 'IDLE', UNCONN: 'UNCONN',
  // Windows localises the state column (French, German, Spanish); Linux keeps the English names.
  'ÉTABLIE': 'ESTABLISHED', ETABLIE: 'ESTABLISHED', 'ÉTABLI': 'ESTABLISHED', 'ÉCOUTE': 'LISTEN', ECOUTE: 'LISTEN',
  HERGESTELLT: 'ESTABLISHED', 'ABHÖREN': 'LISTEN', WARTEND: 'TIME_WAIT', SCHLIESSEN_WARTEN: 'CLOSE_WAIT', SYN_GESENDET: 'SYN_SENT',
  ESTABLECIDO: 'ESTABLISHED', ESCUCHANDO: 'LISTEN',
};

/** Canonical state for a token as printed (any case), or undefined. */
export function canonicalState(token: string): string | undefined {
  return TCP_STATES[token.toUpperCase()] ?? TCP_STATES[token.toUpperCase().replace(/-/g, '_')];
}
