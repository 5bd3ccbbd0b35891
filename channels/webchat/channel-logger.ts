/**
 * The logging the web chat channel needs; a pino logger fits. Details never carry message
 * text, tokens or link tokens (DESIGN.md section 3: personal data stays out of logs).
 */
export interface ChannelLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Logs nothing: the default when no logger is given. */
export const silentLogger: ChannelLogger = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** What of an error goes into a log line: its code, name and message, and the stack for bugs. */
export function describeError(error: unknown): object {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
  }
  return { thrown: String(error) };
}
