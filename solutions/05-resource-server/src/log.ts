// The server's log: one JSON object per line, each an `event` name and its fields. Never a sentence built
// from request data: jose's messages quote the token's own header, so a newline an attacker put there
// would start a line of their choosing (log forging). JSON.stringify escapes newlines and control
// characters, so one event stays one line, whatever its fields hold. Never log the token itself.
export interface LogEvent {
  /** What happened, as a stable name a log query can select: `token_refused`, `whoami_failed`. */
  event: string;
  [field: string]: unknown;
}

export type Log = (event: LogEvent) => void;

/** The default log: one JSON line per event on stderr (stdout stays free for a program's output). */
export const stderrLog: Log = (event) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
};
