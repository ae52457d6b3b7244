#!/usr/bin/env node
// `node bench/detection/nosql.mjs` (after `npm run build`): detection rate of the NoSQL operator
// detector on the corpus's NoSQL payloads, and false alarms on every query key/value, JSON member
// name/leaf and form field of the benign openappsec requests. Plain ESM, no build step of its own.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { nosql } from '../../dist/src/detect/nosql/index.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const dir = path.join(CORPUS, 'attacks/patt-nosql-redirect');
const dec = (l) => { try { return decodeURIComponent(l); } catch { return l; } };
let n = 0, hit = 0; const miss = [];
for (const f of ['nosql-MongoDB.txt', 'nosql-NoSQL.txt']) for (const l of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) { if (!l.trim()) continue; n++; if (nosql.detect(dec(l))) hit++; else miss.push(l); }
console.log('attacks', n, hit, (hit / n * 100).toFixed(1) + '%'); console.log(miss.slice(0, 12));
const bdir = path.join(CORPUS, 'benign/openappsec-legit-train');
let bn = 0, fa = 0; const fas = [];
const leaves = (v, out) => { if (typeof v === 'string') out.push(v); else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); leaves(x, out); } return out; };
for (const f of fs.readdirSync(bdir).filter((x) => x.endsWith('.json'))) {
  let recs = JSON.parse(fs.readFileSync(path.join(bdir, f), 'utf8')); if (!Array.isArray(recs)) recs = recs.requests ?? Object.values(recs);
  for (const r of recs) {
    const vals = [];
    try { const u = new URL(r.url, 'http://x'); for (const [k, v] of u.searchParams) vals.push(k, v); } catch { /* not a URL: no query */ }
    if (typeof r.data === 'string' && r.data) { try { leaves(JSON.parse(r.data), vals); } catch { for (const [k, v] of new URLSearchParams(r.data)) vals.push(k, v); } }
    for (const v of vals) { bn++; if (nosql.detect(v)) { fa++; if (fas.length < 10) fas.push(v.slice(0, 100)); } }
  }
}
console.log('benign', bn, fa, (fa / bn * 100).toFixed(4) + '%'); console.log(fas);
