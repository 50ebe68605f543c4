/** An error the user can fix: shown as one line, never with a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export const EXIT = {
  ok: 0,
  /** Checks ran and found problems (validate --strict warnings, failing rule examples). */
  failed: 1,
  /** Bad usage or invalid input. */
  usage: 2,
  /** Interrupted (Ctrl-C); the session was saved. */
  interrupted: 130,
} as const;
