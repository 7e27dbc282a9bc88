// Twilio's Verify quickstart (https://www.twilio.com/docs/verify/quickstarts), run against the
// offline Verify emulator. The only addition to Twilio's code is the httpClient below: it sends
// each SDK request to the emulator instead of https://verify.twilio.com. `npm start` prints the
// three variables as export lines; tests/integration/sdk-quickstarts.test.ts runs this file as is.
//
//   TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… VERIFY_EMULATOR_URL=http://127.0.0.1:3001 node docs/quickstart/quickstart.js
const twilio = require('twilio');

const accountSid = process.env.TWILIO_ACCOUNT_SID;
const authToken = process.env.TWILIO_AUTH_TOKEN;
const emulatorUrl = process.env.VERIFY_EMULATOR_URL || 'http://127.0.0.1:3001';

// The SDK's own RequestClient, with every https://<host> swapped for the emulator's URL.
class EmulatorRequestClient extends twilio.RequestClient {
  request(options) {
    return super.request({ ...options, uri: options.uri.replace(/^https:\/\/[^/]+/, emulatorUrl) });
  }
}
const client = twilio(accountSid, authToken, { httpClient: new EmulatorRequestClient() });

// Twilio's docs use +15558675310, which Verify (and so the emulator) refuses with 60200: 555
// is not an assigned US area code. Any valid number works; so do the EMULATOR_TEST_NUMBERS.
const to = process.env.QUICKSTART_TO || '+15017122661';

/** The code the emulator "sent" (its inbox API stands in for the phone). */
async function lastCode(number) {
  const answer = await fetch(`${emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(number)}`);
  const { messages } = await answer.json();
  return messages[messages.length - 1].code;
}

async function main() {
  const service = await client.verify.v2.services.create({ friendlyName: 'My First Verify Service' });
  console.log(`service: ${service.sid}`);
  const verify = client.verify.v2.services(service.sid);

  const verification = await verify.verifications.create({ channel: 'sms', to });
  console.log(`sent: ${verification.status}`);

  const wrong = await verify.verificationChecks.create({ code: '000000', to });
  console.log(`wrong code: ${wrong.status}`);

  const right = await verify.verificationChecks.create({ code: await lastCode(to), to });
  console.log(`right code: ${right.status}`);

  // WhatsApp, then the same code again by SMS. Twilio documents ChannelConfiguration's keys for
  // email only; the SDK sends any object as JSON and the emulator accepts (and ignores) it.
  const whatsapp = await verify.verifications.create({ channel: 'whatsapp', to });
  console.log(`whatsapp: ${whatsapp.status} ${whatsapp.channel}`);
  const sms = await verify.verifications.create({ channel: 'sms', to, channelConfiguration: { app: 'quickstart' } });
  console.log(`sms fallback: ${sms.status} ${sms.sendCodeAttempts.map((attempt) => attempt.channel).join(',')}`);

  // Five wrong codes use up the verification; the 6th check is refused with 60202 (HTTP 429).
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const check = await verify.verificationChecks.create({ code: '000000', to });
    console.log(`wrong code ${attempt}: ${check.status}`);
  }
  try {
    await verify.verificationChecks.create({ code: '000000', to });
  } catch (error) {
    console.log(`6th check: ${error.code} (HTTP ${error.status})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
