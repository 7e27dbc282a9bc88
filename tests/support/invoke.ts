import { inferMethod, type FunctionEvent } from '../../src/http/request';
import { buildEvent, callHandler, LogTap, type AnyHandler } from './call-handler';
import { expectContract } from './contract';

export type Handler = AnyHandler;

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

/**
 * Calls a function handler as the runtime would (through callHandler) and insists on what
 * every call must do: answer once, with a Twilio.Response.
 */
export async function invoke(
  handler: Handler,
  params: Record<string, unknown>,
  options: InvokeOptions = {},
): Promise<Invocation> {
  const tap = new LogTap().install();
  try {
    const event = buildEvent(params, options.headers ?? { 'content-type': 'application/json' });
    const answer = await callHandler(handler, options.context, event, tap);
    if (!answer.isResponse || answer.callbacks !== 1) {
      throw new Error(
        `handler did not answer once with a Twilio.Response (${answer.callbacks} callbacks${answer.failure ? `, ${answer.failure}` : ''})`,
      );
    }
    // Every answer of a route is checked against the OpenAPI document (tests/support/contract.ts).
    const route = (handler as { route?: unknown }).route;
    if (typeof route === 'string') {
      expectContract({
        path: route,
        method: inferMethod(event as FunctionEvent),
        status: answer.status,
        body: answer.body,
      });
    }
    return {
      status: answer.status,
      headers: answer.headers,
      body: answer.body as Invocation['body'],
      logs: answer.logs,
    };
  } finally {
    tap.restore();
  }
}
