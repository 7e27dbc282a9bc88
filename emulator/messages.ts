import type { Channel } from './types';

export interface MessageInput {
  channel: Channel;
  /** Service friendly name, or the verification's CustomFriendlyName. */
  friendlyName: string;
  code: string;
  /** Android SMS Retriever hash; SMS only. */
  appHash?: string;
  /** Service `do_not_share_warning_enabled`; SMS only. */
  doNotShareWarning: boolean;
}

export interface ComposedMessage {
  body: string;
  subject?: string;
}

const DO_NOT_SHARE = 'Don’t share this code with anyone; our employees will never ask for the code.';

/**
 * What a person receives on each channel, modelled on Verify's default English templates
 * (the spec's examples: "Your AppName verification code is: 1234", the AppHash form
 * "<#> Your AppName verification code is: 1234 He42w354ol9"). Other locales are not translated.
 */
export function composeMessage(input: MessageInput): ComposedMessage {
  const { channel, friendlyName, code } = input;
  const text = `Your ${friendlyName} verification code is: ${code}`;
  switch (channel) {
    case 'sms': {
      if (input.appHash) return { body: `<#> ${text} ${input.appHash}` };
      return { body: input.doNotShareWarning ? `${text}. ${DO_NOT_SHARE}` : text };
    }
    case 'whatsapp':
    case 'rcs':
      return { body: text };
    case 'email': {
      const subject = `${friendlyName} verification code`;
      return {
        subject,
        body: `Subject: ${subject}\n\n${text}\n\nThis code expires in 10 minutes. If you did not request it, you can ignore this email.`,
      };
    }
    case 'call': {
      // A voice reads the digits one by one, twice, so they can be written down.
      const spoken = code.split('').join(', ');
      return { body: `Your ${friendlyName} verification code is: ${spoken}. Once again, your code is: ${spoken}.` };
    }
  }
}
