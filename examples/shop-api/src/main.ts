/** CLI: `node dist/examples/shop-api/src/main.js [--port 3000] [--host 127.0.0.1] [--secure]`. */
import { startShopApi } from './server.js';

const USAGE = 'usage: shop-api [--port N] [--host ADDR] [--secure]   (env SHOP_API_JWT_SECRET sets the HS256 secret)';

function parse(argv: readonly string[]): { port: number; host: string; secure: boolean } {
  const out = { port: 3000, host: '127.0.0.1', secure: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--secure') out.secure = true;
    else if (flag === '--port') {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535');
    } else if (flag === '--host') out.host = value();
    else if (flag === '--help' || flag === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${flag}`);
  }
  return out;
}

let args: ReturnType<typeof parse>;
try {
  args = parse(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const secret = process.env.SHOP_API_JWT_SECRET;
const api = await startShopApi({ ...args, ...(secret ? { jwtSecret: secret } : {}) });
console.log(`shop-api (${args.secure ? 'secure' : 'VULNERABLE — loopback only'}) listening on ${api.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void api.close().then(() => process.exit(0)); });
}
