import { readFileSync } from 'node:fs';
import { EXIT } from '../errors.js';
import { reportError } from './output.js';

const HELP = `portcullis — unified API protection

Usage: portcullis <command> [options]

Commands:
  protect    run the security gateway in front of an upstream (OpenAPI-enforcing reverse proxy)
  demo       the bundled example shop API behind the gateway, with attacks replayed
  validate   check portcullis.yaml and the specs it names
  init       write a starter portcullis.yaml for an OpenAPI document
  discover   the API inventory from traffic (HAR, access logs): shadow, zombie and orphan endpoints, risk, OpenAPI export
  keys       create, list, rotate and revoke API keys (and decoy keys)
  surface    outside-in look at a host: exposed docs, GraphQL introspection, old versions, debug endpoints

Run \`portcullis <command> --help\` for a command's options.
Exit codes: 0 ok, 1 findings, 2 usage or configuration error, 3 could not complete.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'protect': return await (await import('./protect.js')).protectCommand(rest);
      case 'demo': return await (await import('./demo.js')).demoCommand(rest);
      case 'validate': return await (await import('./validate.js')).validateCommand(rest);
      case 'init': return await (await import('./init.js')).initCommand(rest);
      case 'discover': return await (await import('./discover.js')).discoverCommand(rest);
      case 'keys': return await (await import('./keys.js')).keysCommand(rest);
      case 'surface': return await (await import('./surface.js')).surfaceCommand(rest);
      case '--version': case '-v': case 'version': {
        const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
        process.stdout.write(`${pkg.version}\n`);
        return EXIT.ok;
      }
      case undefined: case '--help': case '-h': case 'help':
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        process.stderr.write(`error PC_ERR_CLI_USAGE: unknown command "${command}"\n\n${HELP}\n`);
        return EXIT.usage;
    }
  } catch (err) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed flags.
    const code = (err as { code?: string })?.code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error PC_ERR_CLI_USAGE: ${(err as Error).message}\n  hint: run \`portcullis ${command} --help\`\n`);
      return EXIT.usage;
    }
    return reportError(err, argv.includes('--json'));
  }
}
