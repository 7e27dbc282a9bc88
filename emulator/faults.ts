import { z } from 'zod';
import { TWILIO_ERRORS, defaultCodeForStatus, errorBody } from './errors';
import { jsonResponse } from './request';
import type { EmulatorResponse } from './types';

/**
 * Injected failures for /v1 (Sync) and /v2 (Verify) calls, so clients can be tested against Twilio outages, slow
 * answers, dropped connections and garbage bodies. A fault matches by method and a path
 * substring and fires for the next `count` matching calls.
 */
export const faultSpecSchema = z
  .object({
    match: z.object({ method: z.string().min(1).optional(), path: z.string().min(1).optional() }).default({}),
    count: z.number().int().min(1).default(1),
    status: z.number().int().min(100).max(599).optional(),
    code: z.number().int().min(1).optional(),
    message: z.string().min(1).optional(),
    delayMs: z.number().int().min(0).max(300_000).optional(),
    drop: z.boolean().optional(),
    malformed: z.boolean().optional(),
    /**
     * Seconds for Retry-After. A 20429 carries one (default 1), as the emulator's rate limits do;
     * other codes none unless given (Verify sends none with 60202, 60203, 60312…).
     */
    retryAfter: z.number().int().min(0).max(86_400).optional(),
  })
  .refine(
    (spec) =>
      [spec.status, spec.code, spec.message, spec.delayMs, spec.drop, spec.malformed].some((v) => v !== undefined),
    { message: 'a fault needs at least one of status, code, message, delayMs, drop, malformed' },
  );

export type FaultSpec = z.output<typeof faultSpecSchema>;

export interface Fault extends FaultSpec {
  id: number;
  /** Matching calls this fault will still affect. */
  remaining: number;
}

export interface FaultQueue {
  add(spec: FaultSpec): Fault;
  /** The first fault matching this call, with one use consumed; undefined when none. */
  take(method: string, pathname: string): Fault | undefined;
  list(): Fault[];
  clear(): number;
}

export function createFaultQueue(): FaultQueue {
  let faults: Fault[] = [];
  let nextId = 1;
  return {
    add(spec) {
      const fault: Fault = { ...spec, id: nextId++, remaining: spec.count };
      faults.push(fault);
      return fault;
    },
    take(method, pathname) {
      const fault = faults.find(
        (candidate) =>
          (!candidate.match.method || candidate.match.method.toUpperCase() === method.toUpperCase()) &&
          (!candidate.match.path || pathname.includes(candidate.match.path)),
      );
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining === 0) faults = faults.filter((candidate) => candidate !== fault);
      return fault;
    },
    list: () => faults.map((fault) => ({ ...fault })),
    clear() {
      const cleared = faults.length;
      faults = [];
      return cleared;
    },
  };
}

/** Timers are unref'd so a pending delay never keeps a test run or the CLI alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Plays a fault: wait `delayMs`, then drop, answer a non-JSON body (default status 200, so a
 * client's JSON parsing is what fails), answer a Twilio error, or, for a delay-only fault,
 * let the real call through.
 */
export async function applyFault(fault: Fault, proceed: () => Promise<EmulatorResponse>): Promise<EmulatorResponse> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.drop) return { status: 0, headers: {}, body: '', drop: true };
  if (fault.malformed) {
    return {
      status: fault.status ?? 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>Bad Gateway</title></head><body>upstream answered garbage',
    };
  }
  if (fault.status === undefined && fault.code === undefined && fault.message === undefined) return proceed();
  const status = fault.status ?? TWILIO_ERRORS.internalError.status;
  const code = fault.code ?? defaultCodeForStatus(status);
  const retryAfter = fault.retryAfter ?? (code === TWILIO_ERRORS.tooManyRequests.code ? 1 : undefined);
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return jsonResponse(status, errorBody(code, status, fault.message ?? `Injected fault (HTTP ${status})`), headers);
}
