/** The emulator's developer API, as the tests use it: read delivered codes, move the clock. */

export interface DeliveredMessage {
  sid: string;
  to: string;
  channel: string;
  body: string;
  code: string;
  locale: string;
  verificationSid: string;
  serviceSid: string;
  dateCreated: string;
}

export async function messagesTo(emulatorUrl: string, to: string): Promise<DeliveredMessage[]> {
  const res = await fetch(`${emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  if (!res.ok) throw new Error(`GET messages answered ${res.status}`);
  const body = (await res.json()) as { messages: DeliveredMessage[] };
  return body.messages;
}

/** Waits until `count` messages reached `to` and returns them (newest last). */
export async function waitForMessages(
  emulatorUrl: string,
  to: string,
  count = 1,
  timeoutMs = 5000,
): Promise<DeliveredMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await messagesTo(emulatorUrl, to);
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${to}, found ${messages.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The code in the newest message to `to`. */
export async function latestCode(emulatorUrl: string, to: string, count = 1): Promise<string> {
  const messages = await waitForMessages(emulatorUrl, to, count);
  return messages[messages.length - 1].code;
}

export async function advanceClock(emulatorUrl: string, seconds: number): Promise<void> {
  const res = await fetch(`${emulatorUrl}/emulator/v1/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (!res.ok) throw new Error(`POST clock answered ${res.status}`);
}

/** A code of the same length that is certainly wrong. */
export function wrongCode(code: string): string {
  return code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}
