/**
 * Sizes and rates as transfer tools print them, to bytes and Mbit/s. Tools disagree on what "K" means:
 * iperf counts bits in powers of 1000 and bytes in powers of 1024, scp and rsync progress use 1024,
 * NetBackup and Amanda kilobytes are 1024 bytes, and "KiB" is always 1024. The caller says which base applies.
 */

/** How many of the base unit one prefix letter is worth ("" → 1, K → base, M → base², …). */
export function prefixScale(prefix: string, base: 1000 | 1024): number | undefined {
  switch (prefix.toUpperCase()) {
    case '':
      return 1;
    case 'K':
      return base;
    case 'M':
      return base ** 2;
    case 'G':
      return base ** 3;
    case 'T':
      return base ** 4;
    default:
      return undefined;
  }
}

/**
 * A number as printed, with "," or "." as thousands separator or decimal point: "1,234,567" → 1234567,
 * "1.234.567" → 1234567, "38,5" → 38.5, "1,234.56" → 1234.56. A lone comma before three digits ("5,012") is
 * a thousands group unless the caller knows the tool prints a decimal comma there (bash's `time` in a
 * German or French locale). Undefined when it is not one number.
 */
export function readNumber(text: string, loneComma: 'thousands' | 'decimal' = 'thousands'): number | undefined {
  const t = text.trim();
  if (!/^\d[\d.,]*$/.test(t) || t.length > 40) return undefined;
  const commas = t.split(',').length - 1;
  const dots = t.split('.').length - 1;
  let norm = t;
  if (commas && dots) {
    // the last separator is the decimal point
    norm = t.lastIndexOf(',') > t.lastIndexOf('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  } else if (commas > 1) norm = t.replace(/,/g, '');
  else if (dots > 1) norm = t.replace(/\./g, '');
  else if (commas === 1) {
    // "1,234" is a thousands group; "38,5" or "0,012" is a decimal comma
    const [whole, frac] = t.split(',');
    norm = frac.length === 3 && whole !== '0' && loneComma === 'thousands' ? `${whole}${frac}` : `${whole}.${frac}`;
  }
  const n = Number(norm);
  return Number.isFinite(n) ? n : undefined;
}

/** Bytes per second → Mbit/s (10⁶ bits). */
export function mbpsOfBytesPerSecond(bytesPerSecond: number): number {
  return (bytesPerSecond * 8) / 1e6;
}

/** A size with a unit word ("1.10 GBytes", "85.0 KByte", "432 KB", "1.5 MiB") in bytes; 1024-based unless the unit says "kB" with base 1000. */
export function bytesOfSize(value: number, unit: string, base: 1000 | 1024 = 1024): number | undefined {
  const m = /^([KMGT]?)(i?)(?:B|Bytes?|bytes?|o|octets?)$/i.exec(unit);
  if (!m) return undefined;
  const scale = prefixScale(m[1], m[2] ? 1024 : base);
  return scale === undefined ? undefined : value * scale;
}
