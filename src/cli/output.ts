import { isPortcullisError } from '../errors.js';
import { EXIT } from '../errors.js';

const useColor = (): boolean => !process.env.NO_COLOR && process.stderr.isTTY === true;
export const red = (s: string): string => (useColor() ? `\x1b[31m${s}\x1b[0m` : s);
export const bold = (s: string): string => (useColor() ? `\x1b[1m${s}\x1b[0m` : s);

/** Print an error the way every command does: what, where, how to fix; never a stack trace for known errors. */
export function reportError(err: unknown, json: boolean): number {
  if (isPortcullisError(err)) {
    if (json) {
      process.stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message, where: err.where, hint: err.hint, details: err.details } })}\n`);
    } else {
      process.stderr.write(`${red('error')} ${err.code}: ${err.message}\n`);
      for (const d of err.details) process.stderr.write(`  - ${d}\n`);
      if (err.where && err.details.length === 0) process.stderr.write(`  at ${err.where}\n`);
      if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    }
    return err.exitCode;
  }
  process.stderr.write(`${red('error')} unexpected failure: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.incomplete;
}
