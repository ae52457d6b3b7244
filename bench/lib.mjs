// Helpers every benchmark in bench/ shares: one lock so two runs never measure each other,
// free ports, command output and log tails. Plain ESM JavaScript: no build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCK_FILE = path.join(os.tmpdir(), 'portcullis-bench.lock');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function commandOutput(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  if (r.error) return null;
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function tail(file, n = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no output)';
  }
}

/**
 * One benchmark at a time on the machine: a run takes LOCK_FILE (holding its pid) and a second
 * run waits; a lock whose process is gone is taken over. `fail(msg)` builds the caller's error.
 */
export function benchLock({ log, fail }) {
  let held = false;
  const owner = () => {
    try {
      const pid = Number(fs.readFileSync(LOCK_FILE, 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 0) return null;
      process.kill(pid, 0); // throws if gone
      return pid;
    } catch {
      return null;
    }
  };
  return {
    async acquire(maxWaitMs = 30 * 60_000) {
      const deadline = Date.now() + maxWaitMs;
      let told = false;
      for (;;) {
        try {
          fs.writeFileSync(LOCK_FILE, `${process.pid}\n`, { flag: 'wx' });
          held = true;
          return;
        } catch (err) {
          if (err.code !== 'EEXIST') throw err;
        }
        const pid = owner();
        if (pid === null) {
          fs.rmSync(LOCK_FILE, { force: true }); // stale: its process is gone
          continue;
        }
        if (Date.now() > deadline) throw fail(`another benchmark (pid ${pid}) still holds ${LOCK_FILE}`);
        if (!told) {
          log(`another benchmark is running (pid ${pid}, ${LOCK_FILE}); waiting for it to finish so neither disturbs the other`);
          told = true;
        }
        await sleep(2000);
      }
    },
    release() {
      if (!held) return;
      try {
        if (fs.readFileSync(LOCK_FILE, 'utf8').trim() === String(process.pid)) fs.rmSync(LOCK_FILE, { force: true });
      } catch {
        /* gone already */
      }
      held = false;
    },
  };
}
