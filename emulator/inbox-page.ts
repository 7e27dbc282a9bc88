import { TOTP_INBOX_SECTION_HTML, TOTP_INBOX_SECTION_SCRIPT } from './totp-inbox';

/**
 * The inbox a person reads their code from: one self-contained page (no external requests,
 * see the CSP in dev-api.ts) that polls GET /emulator/v1/messages every second and shows
 * the messages per channel, newest first, as a phone or mail preview would. Messages are
 * rendered with textContent only, never as HTML.
 */
export const INBOX_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Verify Emulator – Inbox</title>
<style>
  :root {
    --bg: #f4f5f7; --fg: #1b1d22; --muted: #5d6370; --card: #ffffff; --border: #d9dce2;
    --bubble: #e7f0ff; --bubble-fg: #0b2a5b; --accent: #0b5cd5; --code-bg: #f0f3f8;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --bg: #15171c; --fg: #eceef2; --muted: #a2a8b5; --card: #1f232b; --border: #343a46;
      --bubble: #1d3559; --bubble-fg: #e3edff; --accent: #8cb8ff; --code-bg: #272c36;
    }
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45; }
  header { padding: 1.25rem 1.5rem 0.5rem; max-width: 72rem; margin: 0 auto; }
  h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
  header p { margin: 0; color: var(--muted); }
  main { max-width: 72rem; margin: 0 auto; padding: 0.5rem 1.5rem 2rem; }
  #status { min-height: 1.5em; color: var(--muted); font-size: 0.9rem; }
  #status.offline { color: #c0392b; }
  #channels { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); align-items: start; }
  /* A busy channel scrolls inside its own column, so the others stay in view beside or just below it. */
  section ol { max-height: min(28rem, 60vh); overflow-y: auto; overscroll-behavior: contain; padding-right: 0.25rem; }
  section ol:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  section { background: var(--card); border: 1px solid var(--border); border-radius: 1rem; padding: 1rem; }
  section h2 { font-size: 1.05rem; margin: 0 0 0.75rem; display: flex; justify-content: space-between; }
  section h2 .count { color: var(--muted); font-weight: normal; }
  ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
  .meta { font-size: 0.8rem; color: var(--muted); display: flex; justify-content: space-between; gap: 0.5rem; flex-wrap: wrap; }
  .bubble { background: var(--bubble); color: var(--bubble-fg); border-radius: 1.1rem 1.1rem 1.1rem 0.3rem; padding: 0.6rem 0.85rem; margin-top: 0.3rem; white-space: pre-wrap; overflow-wrap: anywhere; }
  .mail { border: 1px solid var(--border); border-radius: 0.6rem; padding: 0.6rem 0.85rem; margin-top: 0.3rem; white-space: pre-wrap; overflow-wrap: anywhere; }
  .mail .subject { font-weight: 600; display: block; margin-bottom: 0.3rem; }
  .undelivered { opacity: 0.6; }
  .undelivered .bubble, .undelivered .mail { text-decoration: line-through; }
  .note { margin: 0.4rem 0 0; font-size: 0.85rem; }
  .code-row { display: flex; align-items: center; gap: 0.75rem; margin-top: 0.5rem; }
  .code { font: 700 2rem/1.1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: 0.2em; background: var(--code-bg); border-radius: 0.5rem; padding: 0.25rem 0.6rem; }
  button { font: inherit; color: var(--accent); background: none; border: 1px solid var(--accent); border-radius: 0.5rem; padding: 0.25rem 0.7rem; cursor: pointer; }
  button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .empty { color: var(--muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
</head>
<body>
<header>
  <h1>Verify Emulator – Inbox</h1>
  <p>Codes “delivered” by the local Twilio Verify emulator, newest first. Nothing here leaves this machine.</p>
</header>
<main>
  <p id="status" role="status">Connecting…</p>
  <div id="channels" aria-live="polite" aria-relevant="additions text" aria-busy="true">
    <p class="empty">No messages yet. Start a verification and its code appears here.</p>
  </div>${TOTP_INBOX_SECTION_HTML}
</main>
<script>
(function () {
  'use strict';
  var CHANNELS = [
    ['sms', 'Text messages (SMS)'], ['whatsapp', 'WhatsApp'], ['rcs', 'RCS'],
    ['email', 'Email'], ['call', 'Voice calls']
  ];
  var container = document.getElementById('channels');
  var statusLine = document.getElementById('status');
  var lastKey = '';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function copyButton(code) {
    var button = el('button', '', 'Copy');
    button.type = 'button';
    button.setAttribute('aria-label', 'Copy code ' + code.split('').join(' '));
    button.addEventListener('click', function () {
      if (navigator.clipboard) navigator.clipboard.writeText(code).then(function () { button.textContent = 'Copied'; });
    });
    return button;
  }

  function renderMessage(message) {
    var item = el('li');
    var meta = el('div', 'meta');
    meta.appendChild(el('span', '', 'To ' + message.to));
    var time = el('time', '', new Date(message.dateCreated).toLocaleTimeString());
    time.setAttribute('datetime', message.dateCreated);
    meta.appendChild(time);
    item.appendChild(meta);
    if (message.channel === 'email') {
      var mail = el('div', 'mail');
      mail.appendChild(el('span', 'subject', message.subject || ''));
      mail.appendChild(document.createTextNode(message.body.replace(/^Subject: .*\\n\\n/, '')));
      item.appendChild(mail);
    } else {
      item.appendChild(el('div', 'bubble', message.body));
    }
    if (message.status === 'undelivered') {
      item.className = 'undelivered';
      item.appendChild(el('p', 'note', 'Not delivered (delivery outcome set for this channel): the person never saw this code.'));
      return item;
    }
    var row = el('div', 'code-row');
    row.appendChild(el('span', 'visually-hidden', 'Code'));
    row.appendChild(el('span', 'code', message.code));
    row.appendChild(copyButton(message.code));
    item.appendChild(row);
    return item;
  }

  function render(messages) {
    container.textContent = '';
    if (messages.length === 0) {
      container.appendChild(el('p', 'empty', 'No messages yet. Start a verification and its code appears here.'));
      return;
    }
    CHANNELS.forEach(function (entry) {
      var mine = messages.filter(function (m) { return m.channel === entry[0]; }).reverse();
      if (mine.length === 0) return;
      var section = el('section');
      section.setAttribute('aria-labelledby', 'heading-' + entry[0]);
      var heading = el('h2');
      heading.id = 'heading-' + entry[0];
      heading.appendChild(el('span', '', entry[1]));
      heading.appendChild(el('span', 'count', mine.length + (mine.length === 1 ? ' message' : ' messages')));
      section.appendChild(heading);
      var list = el('ol');
      // Scrollable, so it must be reachable from the keyboard.
      list.tabIndex = 0;
      list.setAttribute('aria-labelledby', 'heading-' + entry[0]);
      mine.forEach(function (m) { list.appendChild(renderMessage(m)); });
      section.appendChild(list);
      container.appendChild(section);
    });
  }

  function poll() {
    fetch('/emulator/v1/messages', { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var messages = data.messages || [];
        var key = messages.length + ':' + (messages.length ? messages[messages.length - 1].sid : '');
        if (key !== lastKey) { lastKey = key; render(messages); }
        container.setAttribute('aria-busy', 'false');
        statusLine.className = '';
        statusLine.textContent = messages.length + (messages.length === 1 ? ' message' : ' messages') + ' · updates every second';
      })
      .catch(function () {
        statusLine.className = 'offline';
        statusLine.textContent = 'The emulator is not reachable; retrying…';
      })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
${TOTP_INBOX_SECTION_SCRIPT}
</body>
</html>
`;
