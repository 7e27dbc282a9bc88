"""Twilio's Verify quickstart (https://www.twilio.com/docs/verify/quickstarts), run against the
offline Verify emulator with Twilio's Python SDK (Debian: apt-get install python3-twilio; else
pip install twilio). The only addition to Twilio's code is the http_client below: it sends each
SDK request to the emulator instead of https://verify.twilio.com. `npm start` prints the three
variables as export lines; tests/integration/sdk-quickstarts.test.ts runs this file as is.

  TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... VERIFY_EMULATOR_URL=http://127.0.0.1:3001 python3 docs/quickstart/quickstart.py
"""
import json
import os
import urllib.parse
import urllib.request

try:
    from twilio.base.exceptions import TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client
except ImportError:
    # The python3 on PATH (pyenv, a venv) may not be the one the SDK was installed for.
    raise SystemExit("This python3 has no twilio module: apt-get install python3-twilio (then use /usr/bin/python3), or pip install twilio.")

account_sid = os.environ["TWILIO_ACCOUNT_SID"]
auth_token = os.environ["TWILIO_AUTH_TOKEN"]
emulator_url = os.environ.get("VERIFY_EMULATOR_URL", "http://127.0.0.1:3001")


class EmulatorHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with every https://<host> swapped for the emulator's URL."""

    def request(self, method, url, *args, **kwargs):
        parts = urllib.parse.urlsplit(url)
        emulator = urllib.parse.urlsplit(emulator_url)
        url = urllib.parse.urlunsplit((emulator.scheme, emulator.netloc, parts.path, parts.query, ""))
        return super().request(method, url, *args, **kwargs)


client = Client(account_sid, auth_token, http_client=EmulatorHttpClient())

# Twilio's docs use +15558675310, which Verify (and so the emulator) refuses with 60200: 555
# is not an assigned US area code. Any valid number works; so do the EMULATOR_TEST_NUMBERS.
to = os.environ.get("QUICKSTART_TO", "+15017122661")


def last_code(number):
    """The code the emulator "sent" (its inbox API stands in for the phone)."""
    query = urllib.parse.urlencode({"to": number})
    with urllib.request.urlopen(f"{emulator_url}/emulator/v1/messages?{query}") as answer:
        return json.load(answer)["messages"][-1]["code"]


service = client.verify.v2.services.create(friendly_name="My First Verify Service")
print(f"service: {service.sid}")
verify = client.verify.v2.services(service.sid)

verification = verify.verifications.create(channel="sms", to=to)
print(f"sent: {verification.status}")

wrong = verify.verification_checks.create(code="000000", to=to)
print(f"wrong code: {wrong.status}")

right = verify.verification_checks.create(code=last_code(to), to=to)
print(f"right code: {right.status}")

# WhatsApp, then the same code again by SMS. Twilio documents ChannelConfiguration's keys for
# email only; the SDK sends any dict as JSON and the emulator accepts (and ignores) it.
whatsapp = verify.verifications.create(channel="whatsapp", to=to)
print(f"whatsapp: {whatsapp.status} {whatsapp.channel}")
sms = verify.verifications.create(channel="sms", to=to, channel_configuration={"app": "quickstart"})
print(f"sms fallback: {sms.status} {','.join(attempt['channel'] for attempt in sms.send_code_attempts)}")

# Five wrong codes use up the verification; the 6th check is refused with 60202 (HTTP 429).
for attempt in range(1, 6):
    check = verify.verification_checks.create(code="000000", to=to)
    print(f"wrong code {attempt}: {check.status}")
try:
    verify.verification_checks.create(code="000000", to=to)
except TwilioRestException as error:
    print(f"6th check: {error.code} (HTTP {error.status})")
