/**
 * Secrets that show up in pasted evidence (command lines with passwords, HTTP headers, config lines,
 * tokens, private keys) are masked before a line is kept as provenance or printed.
 */
const MASK = '****';

const RULES: [RegExp, string][] = [
  // PEM private key markers and the base64 body lines of a key or certificate.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*/g, `-----BEGIN $1PRIVATE KEY----- ${MASK}`],
  // Authorization / Proxy-Authorization / auth token headers: everything after the colon.
  [/\b((?:proxy-)?authorization|x-auth-token|x-subject-token|x-api-key|cookie|set-cookie)(\s*[:=]\s*)[^\r\n]*/gi, `$1$2${MASK}`],
  // Bearer/Basic credentials outside a header.
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  // Command-line password options: ddpconnchk -p X, -password X, --password=X, -pw X, /password:X.
  [/(^|\s)(-p|-pw|-pass|-passwd|-password|--pass|--passwd|--password|\/password|\/p)(\s+|=|:)(?!-)("[^"]*"|'[^']*'|\S+)/g, `$1$2$3${MASK}`],
  // key = value / key: value for secret-looking keys (PASSWORD=, db_password: , secret=, token=, api_key=).
  [/\b([A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, `$1$2${MASK}`],
  // Credentials in URLs: scheme://user:pass@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MASK}@`],
  // Well-known token shapes.
  [/\bAKIA[0-9A-Z]{16}\b/g, MASK],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, MASK],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, MASK],
  [/\bgAAAAA[A-Za-z0-9_-]{20,}/g, MASK], // OpenStack Fernet tokens
];

/** A bare base64 line (PEM body) of 40+ characters. */
const BASE64_LINE = /^\s*[A-Za-z0-9+/]{40,}={0,2}\s*$/;

export function redact(line: string): string {
  if (BASE64_LINE.test(line)) return MASK;
  let out = line;
  for (const [re, rep] of RULES) {
    re.lastIndex = 0;
    if (re.test(out)) {
      re.lastIndex = 0;
      out = out.replace(re, rep);
    }
  }
  return out;
}
