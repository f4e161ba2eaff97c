import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (pino). Secrets and personal data never go in: credentials are redacted by path
 * as a second line of defence, and callers log pseudonyms, never raw identifiers.
 */
export function createLogger(opts: { level: string; memberId?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: opts.memberId ? { member: opts.memberId } : {},
      redact: {
        paths: ['*.authorization', '*.headers.authorization', '*.password', '*.secret', '*.token', '*.secretKey', 'req.headers.cookie'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
