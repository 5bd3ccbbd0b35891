import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Personal data (phones, document ids, messages) is redacted by path as a
 * second line of defence; code must not log it in the first place.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['*.phone', '*.documentId', '*.document_id', '*.text', '*.email', 'req.headers.authorization'], censor: '[redacted]' },
    },
    destination ?? process.stderr,
  );
}
