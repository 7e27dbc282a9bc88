import { inferMethod, type FunctionEvent } from '../../src/http/request';
import { expectContract } from './contract';
import { StandInResponse, installTwilioResponse } from './twilio-response';

export type Handler = (context: never, event: never, callback: (err: unknown, res?: unknown) => void) => Promise<void> | void;

export interface Invocation {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown> & { ok?: boolean; error?: Record<string, unknown> };
  /** Everything the handler wrote to the console, one entry per call. */
  logs: string[];
}

export interface InvokeOptions {
  context?: Record<string, unknown>;
  /** Request headers (lower-case names). Defaults to a JSON POST. */
  headers?: Record<string, string>;
}

/** Calls a function handler as the runtime would and captures response and logs. */
export async function invoke(handler: Handler, params: Record<string, unknown>, options: InvokeOptions = {}): Promise<Invocation> {
  installTwilioResponse();
  const logs: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    }),
  );
  const headers = options.headers ?? { 'content-type': 'application/json' };
  const event = { ...params, request: { headers, cookies: {} } };
  try {
    const response = await new Promise<unknown>((resolve, reject) => {
      Promise.resolve(
        handler(options.context as never, event as never, (err, res) => (err ? reject(err) : resolve(res))),
      ).catch(reject);
    });
    if (!(response instanceof StandInResponse)) throw new Error('handler did not answer with a Twilio.Response');
    // Every answer of a route is checked against the OpenAPI document (tests/support/contract.ts).
    const route = (handler as { route?: unknown }).route;
    if (typeof route === 'string') {
      expectContract({ path: route, method: inferMethod(event as FunctionEvent), status: response.statusCode, body: response.body });
    }
    return { status: response.statusCode, headers: response.headers, body: response.body as Invocation['body'], logs };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}
