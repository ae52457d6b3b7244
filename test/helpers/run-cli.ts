import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PORTCULLIS_BIN = fileURLToPath(new URL('../../bin/portcullis.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `portcullis` binary to completion, NO_COLOR set, and collects its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [PORTCULLIS_BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
