/**
 * The one way tests call a function handler as the runtime would: the event the runtime
 * builds (params as own properties, plus `request`), one callback, a hang limit, and every
 * observable thing about the answer. `invoke` (tests/support/invoke.ts) is its short form.
 */
import { StandInResponse, installTwilioResponse } from './twilio-response';

export type AnyHandler = (
  context: never,
  event: never,
  callback: (err: unknown, res?: unknown) => void,
) => Promise<void> | void;

/**
 * Replaces the console methods once (jest's console is slow per call) and collects every
 * line; `drain()` hands over what was written since the last drain.
 */
export class LogTap {
  private lines: string[] = [];
  private saved: Partial<Record<'log' | 'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>> = {};

  install(): this {
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      this.saved[level] = console[level];
      console[level] = (...args: unknown[]) => {
        this.lines.push(args.map((a) => (typeof a === 'string' ? a : safeStringify(a))).join(' '));
      };
    }
    return this;
  }

  restore(): void {
    for (const [level, fn] of Object.entries(this.saved)) (console as unknown as Record<string, unknown>)[level] = fn;
    this.saved = {};
  }

  drain(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }
}

export function safeStringify(value: unknown): string {
  try {
    return value instanceof Error
      ? `${value.name}: ${value.message}\n${value.stack ?? ''}`
      : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  logs: string[];
  callbacks: number;
  /** The error the handler rejected with, or passed to its callback. */
  failure?: string;
  ms: number;
  isResponse: boolean;
}

/** Builds the runtime's `event`: params as own properties (so `__proto__` is a plain key, as JSON.parse makes it) plus `request`. */
export function buildEvent(
  params: Record<string, unknown> | Array<[string, unknown]>,
  headers: Record<string, unknown>,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const entries = Array.isArray(params) ? params : Object.entries(params);
  for (const [key, value] of entries) {
    Object.defineProperty(event, key, { value, enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(event, 'request', {
    value: { headers, cookies: {} },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return event;
}

const HANG_MS = 15_000;

/** Calls a handler as the runtime would and reports everything observable about the answer. */
export async function callHandler(
  handler: AnyHandler,
  context: unknown,
  event: unknown,
  tap?: LogTap,
): Promise<Answer> {
  installTwilioResponse();
  let callbacks = 0;
  let response: unknown;
  let failure: string | undefined;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() =>
        handler(context as never, event as never, (err, res) => {
          callbacks += 1;
          if (err) failure = `callback error: ${describeError(err)}`;
          response = res;
        }),
      ),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
      }),
    ]);
  } catch (err) {
    failure = `handler rejected: ${describeError(err)}`;
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  const isResponse = response instanceof StandInResponse;
  const r = isResponse ? (response as StandInResponse) : undefined;
  return {
    status: r?.statusCode ?? -1,
    headers: r?.headers ?? {},
    body: r?.body,
    logs: tap ? tap.drain() : [],
    callbacks,
    failure,
    ms,
    isResponse,
  };
}

export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
