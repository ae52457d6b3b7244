import { configSchema } from './schema.js';

type Node = {
  type?: string; enum?: readonly unknown[]; default?: unknown; description?: string; pattern?: string;
  minimum?: number; maximum?: number; minLength?: number; minItems?: number; maxItems?: number;
  properties?: Record<string, Node>; additionalProperties?: boolean | Node; items?: Node; required?: readonly string[];
};

/**
 * docs/configuration.md, rendered from the config schema: one row per key, so the reference
 * cannot drift from what start-up validation accepts (src/config/reference.test.ts compares them;
 * `npm run docs:config` rewrites the file).
 */
export function renderConfigReference(): string {
  const rows: string[] = [];
  walk(configSchema as unknown as Node, '', rows, new Set((configSchema as unknown as Node).required ?? []));
  return [
    '# Configuration reference (`portcullis.yaml`)',
    '',
    'Generated from [src/config/schema.ts](../src/config/schema.ts) by `npm run docs:config`; a test keeps',
    'the two in step. The whole file is validated at start-up and every problem is reported at once with',
    '`file:line:col`. `${VAR}` and `${VAR:-default}` read the environment. `<name>` stands for a key you',
    'choose (a control id, an operationId or `METHOD /template`); `[]` for each item of a list.',
    '',
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function walk(node: Node, path: string, rows: string[], required: ReadonlySet<string>): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const p = path ? `${path}.${key}` : key;
    row(child, p, rows, required.has(key));
    descend(child, p, rows);
  }
}

function descend(child: Node, p: string, rows: string[]): void {
  if (child.properties) walk(child, p, rows, new Set(child.required ?? []));
  if (child.items && (child.items.properties || child.items.additionalProperties)) {
    const itemPath = `${p}[]`;
    if (child.items.properties) walk(child.items, itemPath, rows, new Set(child.items.required ?? []));
  }
  if (typeof child.additionalProperties === 'object') {
    const mapPath = `${p}.<name>`;
    row(child.additionalProperties, mapPath, rows, false);
    descend(child.additionalProperties, mapPath, rows);
  }
}

function row(n: Node, path: string, rows: string[], required: boolean): void {
  const constraints: string[] = [];
  if (required) constraints.push('required');
  const choices = n.enum ?? n.items?.enum;
  if (choices) constraints.push(`${n.enum ? 'one' : 'any'} of ${choices.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (n.pattern) constraints.push(`pattern \`${n.pattern}\``);
  if (n.minimum !== undefined) constraints.push(`≥ ${n.minimum}`);
  if (n.maximum !== undefined) constraints.push(`≤ ${n.maximum}`);
  if (n.minLength !== undefined) constraints.push(`at least ${n.minLength} characters`);
  if (n.minItems !== undefined) constraints.push(`at least ${n.minItems} item(s)`);
  if (n.maxItems !== undefined) constraints.push(`at most ${n.maxItems} items`);
  const type = n.type ?? (n.enum ? 'enum' : typeof n.additionalProperties === 'object' ? 'object' : 'any');
  const meaning = [n.description, constraints.length ? `(${constraints.join('; ')})` : ''].filter(Boolean).join(' ');
  const def = n.default === undefined ? '' : `\`${String(n.default)}\``;
  const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  rows.push(`| \`${path}\` | ${type}${n.items?.type ? ` of ${n.items.type}` : n.items?.enum ? ' of enum' : ''} | ${def} | ${cell(meaning)} |`);
}
