/** One structured line per request. Never pass a code, a token or an unmasked destination. */
export interface RequestLogLine {
  route: string;
  status: number;
  outcome: string;
  latencyMs: number;
  twilioCode?: number;
  to?: string;
}

export type Logger = (line: RequestLogLine) => void;

export const consoleLogger: Logger = (line) => {
  const write = line.status >= 500 ? console.error : console.log;
  write(JSON.stringify({ level: line.status >= 500 ? 'error' : 'info', ...line }));
};
