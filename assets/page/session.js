/** The verification in progress: what step 1 asked for and what the server answered since. */
export const session = {
  /** The start request: to, country?, channel, locale. */
  params: null,
  /** The newest verification handle; '' once it can no longer be used. */
  handle: '',
  channel: '',
  /** The destination as the server masked it ("+1******2671"). */
  masked: '',
  /** The channel a resend would use, when the server offered one. */
  nextChannel: '',
};
