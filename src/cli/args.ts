/** Argument parsing on node:util parseArgs, with one-line errors for the user. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  rules: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  'no-redact': { type: 'boolean' },
} as const satisfies Options;

export function parse<T extends Options>(command: string, args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UserError(`${command}: ${msg} (see backup-triage --help)`);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UserError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}
