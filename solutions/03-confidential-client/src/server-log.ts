// What the server writes down: an event name and a few fields (who, what, the outcome), never a request
// value that grants access (a token, a code, a state). Lab 03 writes each event as one line on stderr;
// lab 04 hands in a pino logger instead, which has the same methods, and adds redaction as a safety net.
export interface LogFields {
  /** What happened, as a stable name a log query can select: `sign_in`, `sign_in_failed`, ... */
  event: string;
  [field: string]: unknown;
}

export interface ServerLog {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** One line per event on stderr: `message {"event":...}`. */
export const stderrLog: ServerLog = {
  info: (fields, message) => console.error(`${message} ${JSON.stringify(fields)}`),
  warn: (fields, message) => console.error(`warning: ${message} ${JSON.stringify(fields)}`),
  error: (fields, message) => console.error(`error: ${message} ${JSON.stringify(fields)}`),
};
