import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { EXIT } from '../errors.js';
import { buildRuntime, closeRuntime } from '../gateway/runtime.js';
import { reportError } from './output.js';

export const VALIDATE_HELP = `portcullis validate — check portcullis.yaml and every spec it names, without starting anything

Usage:
  portcullis validate [--config portcullis.yaml] [--json]

Exit codes: 0 valid, 2 invalid (every problem is listed with file:line:col).`;

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) { process.stdout.write(`${VALIDATE_HELP}\n`); return EXIT.ok; }
  const file = values.config ?? positionals[0] ?? 'portcullis.yaml';
  try {
    const config = loadConfigFile(file);
    const rt = await buildRuntime(config);
    const operations = rt.upstreams.reduce((n, u) => n + u.spec.operations.length, 0);
    await closeRuntime(rt);
    if (values.json) process.stdout.write(`${JSON.stringify({ valid: true, file, upstreams: config.upstreams.length, operations, warnings: rt.warnings })}\n`);
    else {
      process.stdout.write(`${file}: valid (${config.upstreams.length} upstream(s), ${operations} operation(s))\n`);
      for (const w of rt.warnings) process.stdout.write(`  warning: ${w}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    return reportError(err, values.json === true);
  }
}
