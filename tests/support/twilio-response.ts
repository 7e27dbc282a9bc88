/**
 * A stand-in for the runtime's Twilio.Response (TwilioResponse from
 * @twilio-labs/serverless-runtime-types), so handlers can run outside twilio-run.
 */
export class StandInResponse {
  statusCode = 200;
  body: unknown = undefined;
  headers: Record<string, string> = {};
  cookies: Record<string, string> = {};

  setStatusCode(code: number): this {
    this.statusCode = code;
    return this;
  }
  setBody(body: unknown): this {
    this.body = body;
    return this;
  }
  appendHeader(key: string, value: string): this {
    this.headers[key] = value;
    return this;
  }
  setHeaders(headers: Record<string, string>): this {
    this.headers = { ...headers };
    return this;
  }
  setCookie(key: string, value: string): this {
    this.cookies[key] = value;
    return this;
  }
  removeCookie(key: string): this {
    delete this.cookies[key];
    return this;
  }
}

/** Installs the stand-in as the global Twilio.Response the runtime would provide. */
export function installTwilioResponse(): void {
  (globalThis as { Twilio?: unknown }).Twilio = { Response: StandInResponse };
}
