/**
 * What a failed connect() says, in the words tools print: strerror() texts of glibc in several locales
 * (nc, telnet, ssh and bash print them as they are), curl's and ncat's own messages, and Windows
 * telnet's. Only the three outcomes a connection test can tell apart are named.
 */

export type ConnectError = 'refused' | 'times_out' | 'unreachable';

const REFUSED = [
  'connection refused',
  'verbindungsaufbau abgelehnt',
  'connexion refusée',
  'connexion refusee',
  'conexión rehusada',
  'conexion rehusada',
  'connessione rifiutata',
  'conexão recusada',
  '연결이 거부됨',
  '接続を拒否されました',
  '拒绝连接',
];

const TIMED_OUT = [
  'timed out',
  'timeout',
  'operation now in progress',
  'die wartezeit für die verbindung ist abgelaufen',
  'zeitüberschreitung',
  'expiration du délai',
  'délai d\'attente',
  'tiempo de espera',
  'ha excedido el tiempo',
  'connessione scaduta',
  'tempo esgotado',
  '연결 시간 초과',
  'タイムアウト',
  '连接超时',
];

const UNREACHABLE = [
  'no route to host',
  'network is unreachable',
  'host is unreachable',
  'keine route zum zielrechner',
  'netzwerk ist nicht erreichbar',
  'aucun chemin d\'accès',
  'aucune route',
  'le réseau n\'est pas accessible',
  'no hay ruta',
  'la red es inaccesible',
  'nessun instradamento',
  '호스트로 갈 루트가 없음',
  'ホストへの経路がありません',
  '没有到主机的路由',
];

/** The outcome a failure text names, or undefined when it names none ("Connect failed", "Couldn't connect to server"). */
export function connectError(text: string): ConnectError | undefined {
  const t = text.toLowerCase();
  if (REFUSED.some((w) => t.includes(w))) return 'refused';
  if (UNREACHABLE.some((w) => t.includes(w))) return 'unreachable';
  if (TIMED_OUT.some((w) => t.includes(w))) return 'times_out';
  return undefined;
}
