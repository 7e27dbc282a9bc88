/** One structured line per request. Never pass a code, a token or an unmasked destination. */
interface RequestLogLine {
  route: string;
  status: number;
  outcome: string;
  latencyMs: number;
  twilioCode?: number;
  to?: string;
}

export type Logger = (line: RequestLogLine) => void;

export const consoleLogger: Logger = (line) => {
  const failed = line.status >= 500;
  const { route, status, outcome, latencyMs, twilioCode, to } = line;
  (failed ? console.error : console.log)(
    JSON.stringify({ level: failed ? 'error' : 'info', route, status, outcome, latencyMs, twilioCode, to }),
  );
};
