/**
 * A recording upstream for the adversarial suite.
 *
 * A raw TCP server (`net`) keeps every byte it receives, and hands the same bytes to Node's strict HTTP
 * parser through an in-memory Duplex (Node's `http.Server` consumes a real socket's handle in C++, so
 * 'data' listeners on it would see nothing). Every parsed request is recorded with its method, target,
 * raw header pairs, body and the raw bytes that carried it; it is answered 200 `{"ok":true}`.
 * Anything the strict parser refuses is recorded in `errors`: a gateway must never send such bytes.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

export interface RecordedRequest {
  /** 1-based, over the recorder's lifetime (not reset by `reset()`). */
  seq: number;
  /** Which upstream TCP connection carried it (1-based). */
  connection: number;
  method: string;
  /** The request-target exactly as received (origin-form expected). */
  target: string;
  httpVersion: string;
  /** Raw header pairs in wire order, names as sent. */
  headers: [string, string][];
  body: Buffer;
  /**
   * The bytes received on this connection since the previous request on it finished, up to the moment
   * this one finished. Exact for a client that waits for each response (undici's default, pipelining 1).
   */
  raw: Buffer;
  remoteAddress: string;
}

export interface RecorderParseError {
  connection: number;
  code: string;
  message: string;
  rawPacket: Buffer;
}

export interface Recorder {
  port: number;
  /** Requests since the last `reset()`. The array is replaced on reset, so re-read `recorder.requests`. */
  requests: RecordedRequest[];
  /** Bytes the strict parser refused, since the last `reset()`. */
  errors: RecorderParseError[];
  /** TCP connections accepted since the last `reset()`. */
  connections: number;
  reset(): void;
  close(): Promise<void>;
}

interface ConnState {
  id: number;
  chunks: Buffer[];
  /** Bytes of `chunks` already attributed to an earlier request. */
  attributed: number;
}

export async function startRecorder(): Promise<Recorder> {
  let seq = 0;
  let connSeq = 0;
  const sockets = new Set<Socket>();

  const http = createHttpServer({ keepAliveTimeout: 5_000, requestTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  const state = {
    requests: [] as RecordedRequest[],
    errors: [] as RecorderParseError[],
    connections: 0,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    const conn = (req.socket as unknown as { advConn?: ConnState }).advConn;
    let raw = Buffer.alloc(0);
    if (conn) {
      const all = Buffer.concat(conn.chunks);
      raw = all.subarray(conn.attributed);
      conn.attributed = all.length;
    }
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
    seq += 1;
    state.requests.push({
      seq,
      connection: conn?.id ?? 0,
      method: req.method ?? '',
      target: req.url ?? '',
      httpVersion: req.httpVersion,
      headers,
      body: Buffer.concat(parts),
      raw: Buffer.from(raw),
      remoteAddress: req.socket.remoteAddress ?? '',
    });
    const body = '{"ok":true}';
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'X-Upstream-Seq': String(seq),
    });
    res.end(body);
  }

  http.on('clientError', (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => {
    const conn = (socket as unknown as { advConn?: ConnState }).advConn;
    state.errors.push({
      connection: conn?.id ?? 0,
      code: err.code ?? 'UNKNOWN',
      message: err.message,
      rawPacket: Buffer.from(err.rawPacket ?? Buffer.alloc(0)),
    });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });

  const tcp = createNetServer((sock) => {
    sockets.add(sock);
    connSeq += 1;
    state.connections += 1;
    const conn: ConnState = { id: connSeq, chunks: [], attributed: 0 };
    const duplex = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        if (sock.destroyed) return cb();
        sock.write(chunk, () => cb());
      },
      final(cb) {
        sock.end();
        cb();
      },
      destroy(err, cb) {
        sock.destroy();
        cb(err);
      },
    });
    Object.assign(duplex, {
      advConn: conn,
      remoteAddress: sock.remoteAddress,
      remotePort: sock.remotePort,
      remoteFamily: sock.remoteFamily,
      setTimeout: () => duplex,
      setNoDelay: () => duplex,
      setKeepAlive: () => duplex,
    });
    sock.on('data', (b: Buffer) => {
      conn.chunks.push(b);
      duplex.push(b);
    });
    sock.on('end', () => duplex.push(null));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      sockets.delete(sock);
      duplex.destroy();
    });
    http.emit('connection', duplex);
  });

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;

  const recorder: Recorder = {
    port,
    get requests() {
      return state.requests;
    },
    set requests(v: RecordedRequest[]) {
      state.requests = v;
    },
    get errors() {
      return state.errors;
    },
    set errors(v: RecorderParseError[]) {
      state.errors = v;
    },
    get connections() {
      return state.connections;
    },
    set connections(v: number) {
      state.connections = v;
    },
    reset() {
      state.requests = [];
      state.errors = [];
      state.connections = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      http.close();
    },
  };
  return recorder;
}

/** Header values of `name` (case-insensitive) in wire order. */
export function headerValues(headers: readonly (readonly [string, string])[], name: string): string[] {
  const n = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}
