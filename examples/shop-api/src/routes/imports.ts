/** Import an image by URL: a deliberate SSRF (API7) that also trusts whatever the upstream says (API10). */
import { createHash } from 'node:crypto';
import { requireUser } from '../auth.js';
import { json, readJson, type Ctx, type Reply, type Route } from '../http.js';
import { checkImportUrl, fetchPublicImage } from '../ssrf.js';
import { checkObject } from '../validate.js';

async function importImage(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const user = await requireUser(ctx);
  const body = await readJson(ctx);
  let url: string;
  let contentType: string;
  let data: Buffer;
  let upstream: unknown;
  if (app.secure) {
    url = checkObject(body, { url: { type: 'string', min: 9, max: 2048 } }).url as string;
    ({ contentType, data } = await fetchPublicImage(checkImportUrl(url)));
  } else {
    // Any scheme fetch knows, any host (loopback, cloud metadata, the intranet), redirects followed,
    // no size cap; a JSON answer is parsed and reflected verbatim to the caller.
    url = String((body as { url?: unknown }).url);
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    data = Buffer.from(await res.arrayBuffer());
    contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    upstream = contentType.includes('json') ? JSON.parse(data.toString('utf8')) : data.toString('utf8', 0, 65_536);
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const id = Number(app.db.prepare('INSERT INTO imports (user_id, url, content_type, size, sha256) VALUES (?, ?, ?, ?, ?)')
    .run(user.id, url, contentType, data.length, sha256).lastInsertRowid);
  const result = { id, url, contentType, size: data.length, sha256 };
  return json(201, app.secure ? result : { ...result, upstream });
}

export const importRoutes: Route[] = [
  { method: 'POST', path: '/api/v2/imports/image', operationId: 'importImage', handler: importImage },
];
