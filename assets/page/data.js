// Static choices for the start form. Names come from Intl.DisplayNames, so only codes live here.

/** Common destinations: [ISO 3166 alpha-2, dialing code]. */
export const COUNTRIES = [
  ['AE', '971'], ['AR', '54'], ['AT', '43'], ['AU', '61'], ['BD', '880'], ['BE', '32'],
  ['BR', '55'], ['CA', '1'], ['CH', '41'], ['CL', '56'], ['CN', '86'], ['CO', '57'],
  ['CZ', '420'], ['DE', '49'], ['DK', '45'], ['EG', '20'], ['ES', '34'], ['FI', '358'],
  ['FR', '33'], ['GB', '44'], ['GR', '30'], ['HK', '852'], ['ID', '62'], ['IE', '353'],
  ['IL', '972'], ['IN', '91'], ['IT', '39'], ['JP', '81'], ['KE', '254'], ['KR', '82'],
  ['MX', '52'], ['MY', '60'], ['NG', '234'], ['NL', '31'], ['NO', '47'], ['NZ', '64'],
  ['PE', '51'], ['PH', '63'], ['PK', '92'], ['PL', '48'], ['PT', '351'], ['RO', '40'],
  ['SA', '966'], ['SE', '46'], ['SG', '65'], ['TH', '66'], ['TR', '90'], ['TW', '886'],
  ['UA', '380'], ['US', '1'], ['VN', '84'], ['ZA', '27'],
];

/** Locales Verify can write its messages in: Twilio's list, shared with the functions and the emulator. */
export { VERIFY_LOCALES as LOCALES } from '../../twilio-facts/verify-locales';

/** Channels in sentences: "We sent a code to … {sent}", and the offer to switch to them. */
export const CHANNELS = {
  sms: { sent: 'by SMS', instead: 'Text me instead' },
  call: { sent: 'by voice call', instead: 'Call me instead' },
  whatsapp: { sent: 'on WhatsApp', instead: 'Use WhatsApp instead' },
  email: { sent: 'by email', instead: 'Email me instead' },
  rcs: { sent: 'by RCS message', instead: 'Use RCS instead' },
};
