// The calls the page makes. Relative URLs: the page and the functions share an origin.
// JSON bodies keep a leading "+" intact (a form body would need it encoded as %2B).

const TIMEOUT_MS = 15000;

/** POSTs JSON; always resolves to the contract's shape, `{ ok: true, … }` or `{ ok: false, error }`, even offline. */
async function postJson(path, body) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      signal: abort.signal,
    });
    const data = await res.json().catch(() => null);
    if (!data || typeof data.ok !== 'boolean') {
      return failure('bad_response', 'Something went wrong on our side. Please try again.');
    }
    if (!data.ok && data.error && data.error.retryAfter == null) {
      const header = Number(res.headers.get('Retry-After'));
      if (header > 0) data.error.retryAfter = header;
    }
    return data;
  } catch {
    return failure('network_error', 'We could not reach the server. Check your connection and try again.');
  } finally {
    clearTimeout(timer);
  }
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}

/**
 * Answers `verification`, an opaque handle: keep it (and the newest one each resend returns)
 * and send it back; it is the only way to check, resend or cancel this code.
 * @param {{to: string, channel: string, locale?: string, country?: string}} params
 */
export const startVerify = (params) => postJson('start-verify', params);

/**
 * Sends the code again after the server's cooldown; `channel` for "call me instead".
 * @param {{verification: string, channel?: string, locale?: string}} params
 */
export const resendVerify = (params) => postJson('resend-verify', params);

/** @param {{code: string, verification: string}} params */
export const checkVerify = (params) => postJson('check-verify', params);

/** "Change number": the old code stops working. Idempotent, so the answer does not matter. */
export const cancelVerify = (params) => postJson('cancel-verify', params);

/**
 * What happened to each send (`delivery`: queued, sent, delivered, undelivered, failed; calls:
 * calling, completed, no-answer, busy), and `nextChannel` with `nextChannelRetryAfter` 0 when
 * the latest send did not arrive. Poll politely: the server answers 429 when asked too often.
 * @param {{verification: string}} params
 */
export const verificationStatus = (params) => postJson('verification-status', params);
