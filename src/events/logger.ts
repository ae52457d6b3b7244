import { pino, type Logger } from 'pino';

/**
 * The structured access/operations log. Only fields we choose are logged (never rawHeaders or
 * the raw URL); `redact` is a second net for header names that carry secrets.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { service: 'portcullis' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
      censor: '[REDACTED]',
    },
  }, destination ?? pino.destination({ sync: false }));
}
