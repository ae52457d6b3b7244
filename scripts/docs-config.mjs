// Rewrites docs/configuration.md from the config schema (needs the build: npm install or npm run build).
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../dist/src/config/reference.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
console.log('docs/configuration.md written');
