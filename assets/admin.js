// The owner's report page. The admin token lives in one variable of this module: never in
// the URL, storage or a cookie; a reload or "Forget token" drops it.
// Every number is written with textContent or SVG attributes, never parsed as HTML.

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const form = $('report-form');
const tokenInput = $('token');
const status = $('status');
const forget = $('forget');
const report = $('report');

let token = '';
let loading = false;

// Framed by another site, a page that takes a secret could be overlaid to trick the owner
// (a meta CSP cannot say frame-ancestors, and static assets cannot send headers).
if (window.top !== window.self) {
  form.hidden = true;
  status.textContent = 'This page cannot be used inside a frame. Open it directly.';
}

const pct = (value) => (value == null ? '—' : `${value.toFixed(1)}%`);
const int = (value) => value.toLocaleString('en-US');
const WINDOW_NAMES = { '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' };
const COUNTRY_NAMES =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
const countryName = (code) => {
  if (code === 'none') return 'No country (email)';
  try {
    return COUNTRY_NAMES ? `${COUNTRY_NAMES.of(code)} (${code})` : code;
  } catch {
    return code;
  }
};
const CHANNEL_NAMES = { sms: 'SMS', call: 'Voice call', email: 'Email', whatsapp: 'WhatsApp', rbm: 'RCS' };
const channelName = (key) => CHANNEL_NAMES[key] || key;

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text != null) node.textContent = text;
  return node;
}

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text != null) node.textContent = text;
  return node;
}

/** A table with a caption; scrolls inside a focusable region so keyboard users can reach all rows. */
function table(caption, columns, rows) {
  const wrap = el('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' });
  const t = el('table');
  t.append(el('caption', {}, caption));
  const head = el('tr');
  for (const column of columns) head.append(el('th', { scope: 'col' }, column.label));
  t.appendChild(el('thead')).append(head);
  const body = t.appendChild(el('tbody'));
  for (const row of rows) {
    const tr = el('tr');
    for (const [i, column] of columns.entries())
      tr.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, column.format(row)));
    body.append(tr);
  }
  if (rows.length === 0) {
    const tr = el('tr');
    tr.append(el('td', { colspan: String(columns.length) }, 'No attempts in this period.'));
    body.append(tr);
  }
  wrap.append(t);
  return wrap;
}

/** Horizontal bars, one per row; the table beside it carries the same numbers. */
function barChart(caption, rows, { value, label, display, max, barClass = 'bar' }) {
  const figure = el('figure');
  figure.append(el('figcaption', { 'aria-hidden': 'true' }, caption));
  // A narrow drawing: on a phone it scales down less, so its labels stay readable.
  const width = 460;
  const labelWidth = 150;
  const rowHeight = 26;
  const height = Math.max(rows.length, 1) * rowHeight + 8;
  const svg = svgEl('svg', {
    class: 'chart',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${caption}: bar chart; the table beside it lists the same numbers.`,
  });
  const top = max ?? Math.max(1, ...rows.map(value));
  const span = width - labelWidth - 84;
  rows.forEach((row, i) => {
    const y = i * rowHeight + 4;
    svg.append(svgEl('text', { x: labelWidth - 8, y: y + 15, 'text-anchor': 'end' }, label(row)));
    const w = top > 0 ? Math.max((value(row) / top) * span, value(row) > 0 ? 2 : 0) : 0;
    svg.append(svgEl('rect', { class: barClass, x: labelWidth, y, width: w.toFixed(1), height: rowHeight - 8, rx: 3 }));
    svg.append(svgEl('text', { x: labelWidth + w + 6, y: y + 15 }, display(row)));
  });
  svg.append(svgEl('line', { class: 'axis', x1: labelWidth, x2: labelWidth, y1: 0, y2: height }));
  figure.append(svg);
  return figure;
}

/** Attempts (light) and converted (dark) per hour or day. */
function seriesChart(caption, series, windowName) {
  const figure = el('figure');
  figure.append(el('figcaption', { 'aria-hidden': 'true' }, caption));
  const width = 480;
  const height = 200;
  const left = 44;
  const bottom = 24;
  const plot = height - bottom - 8;
  const top = Math.max(1, ...series.map((p) => p.attempts));
  const svg = svgEl('svg', {
    class: 'chart',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${caption}: column chart; the table beside it lists the same numbers.`,
  });
  const step = (width - left) / Math.max(series.length, 1);
  const hourly = windowName === '24h';
  const every = Math.ceil(series.length / 8);
  svg.append(svgEl('line', { class: 'axis', x1: left, x2: width, y1: 8 + plot, y2: 8 + plot }));
  svg.append(svgEl('text', { x: left - 6, y: 14, 'text-anchor': 'end' }, int(top)));
  svg.append(svgEl('text', { x: left - 6, y: 8 + plot, 'text-anchor': 'end' }, '0'));
  series.forEach((point, i) => {
    const x = left + i * step + step * 0.15;
    const w = step * 0.7;
    const h = (point.attempts / top) * plot;
    const hc = (point.converted / top) * plot;
    svg.append(
      svgEl('rect', {
        class: 'bar-soft',
        x: x.toFixed(1),
        y: (8 + plot - h).toFixed(1),
        width: w.toFixed(1),
        height: h.toFixed(1),
      }),
    );
    svg.append(
      svgEl('rect', {
        class: 'bar',
        x: (x + w * 0.2).toFixed(1),
        y: (8 + plot - hc).toFixed(1),
        width: (w * 0.6).toFixed(1),
        height: hc.toFixed(1),
      }),
    );
    if (i % every === 0)
      svg.append(
        svgEl(
          'text',
          { x: (x + w / 2).toFixed(1), y: height - 6, 'text-anchor': 'middle' },
          bucketLabel(point.start, hourly),
        ),
      );
  });
  figure.append(svg);
  const legend = el('ul', { class: 'legend' });
  for (const [cls, text] of [
    ['bar-soft', 'Attempts'],
    ['bar', 'Converted'],
  ]) {
    const item = el('li');
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = `var(--${cls === 'bar' ? 'bar' : 'bar-soft'})`;
    item.append(swatch, text);
    legend.append(item);
  }
  figure.append(legend);
  return figure;
}

function bucketLabel(iso, hourly) {
  const date = new Date(iso);
  return hourly
    ? `${String(date.getUTCHours()).padStart(2, '0')}:00`
    : `${date.getUTCDate()} ${date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })}`;
}

function fill(id, ...children) {
  $(id).replaceChildren(...children);
}

const TOP = 12;

function render(data) {
  const windowName = data.window;
  $('total-attempts').textContent = int(data.totals.attempts);
  $('total-converted').textContent = int(data.totals.converted);
  $('total-rate').textContent = pct(data.totals.conversionRate);
  const s = data.summary;
  const check = $('summary-check');
  check.replaceChildren(
    `Verify’s Attempts Summary for ${WINDOW_NAMES[windowName]}: ${int(s.totalAttempts)} attempts, ${int(s.totalConverted)} converted (${s.conversionRatePercentage == null ? '—' : `${Number(s.conversionRatePercentage).toFixed(1)}%`}). `,
    el(
      'span',
      { class: s.matches ? 'match' : 'mismatch' },
      s.matches
        ? 'Matches the attempts above.'
        : 'Differs from the attempts above (new attempts may have arrived between the two reads).',
    ),
  );

  const seriesRows = data.series;
  fill(
    'series',
    seriesChart(`Attempts and conversions, ${WINDOW_NAMES[windowName]} (UTC)`, seriesRows, windowName),
    table(
      `Attempts and conversions per ${windowName === '24h' ? 'hour' : 'day'} (UTC)`,
      [
        {
          label: windowName === '24h' ? 'Hour' : 'Day',
          format: (r) => (windowName === '24h' ? r.start.slice(0, 13).replace('T', ' ') + ':00' : r.start.slice(0, 10)),
        },
        { label: 'Attempts', format: (r) => int(r.attempts) },
        { label: 'Converted', format: (r) => int(r.converted) },
      ],
      seriesRows,
    ),
  );

  const conversionColumns = (name, labelOf) => [
    { label: name, format: (r) => labelOf(r.key) },
    { label: 'Attempts', format: (r) => int(r.attempts) },
    { label: 'Converted', format: (r) => int(r.converted) },
    { label: 'Rate', format: (r) => pct(r.conversionRate) },
  ];
  const rateBars = (caption, rows, labelOf) =>
    barChart(caption, rows, {
      value: (r) => r.conversionRate ?? 0,
      label: (r) => labelOf(r.key),
      display: (r) => pct(r.conversionRate),
      max: 100,
    });

  fill(
    'conversion-channel',
    rateBars('Conversion rate by channel', data.conversionByChannel, channelName),
    table('Conversion by channel', conversionColumns('Channel', channelName), data.conversionByChannel),
  );
  const countries = data.conversionByCountry.slice(0, TOP);
  fill(
    'conversion-country',
    rateBars(`Conversion rate, ${countries.length} busiest countries`, countries, countryName),
    table('Conversion by country', conversionColumns('Country', countryName), data.conversionByCountry),
  );

  const failureColumns = (name, labelOf) => [
    { label: name, format: (r) => labelOf(r.key) },
    { label: 'Attempts', format: (r) => int(r.attempts) },
    { label: 'Not received', format: (r) => int(r.failed) },
    { label: 'Share', format: (r) => pct(r.failureRate) },
  ];
  const failureBars = (caption, rows, labelOf) =>
    barChart(caption, rows, {
      value: (r) => r.failed,
      label: (r) => labelOf(r.key),
      display: (r) => `${int(r.failed)} (${pct(r.failureRate)})`,
      barClass: 'bar-warn',
    });
  const failingCountries = data.failuresByCountry.filter((r) => r.failed > 0).slice(0, TOP);
  fill(
    'failures-country',
    failureBars('Codes not received, by country', failingCountries, countryName),
    table('Delivery failures by country', failureColumns('Country', countryName), data.failuresByCountry),
  );
  fill(
    'failures-channel',
    failureBars('Codes not received, by channel', data.failuresByChannel, channelName),
    table('Delivery failures by channel', failureColumns('Channel', channelName), data.failuresByChannel),
  );

  const { baselineRate, signals } = data.pumping;
  $('pumping-hint').textContent = signals.length
    ? `Countries and number prefixes with at least 20 attempts converting at under half the overall rate (${pct(baselineRate)}). “Excess” counts unconverted attempts beyond what the overall rate would leave: consider Verify Fraud Guard or geo-permissions for them.`
    : `No country or number prefix converts at under half the overall rate (${pct(baselineRate)}) with at least 20 attempts.`;
  const signalLabel = (r) => (r.kind === 'country' ? countryName(r.key) : `Prefix ${r.key}`);
  fill(
    'pumping',
    barChart('Excess unconverted attempts', signals, {
      value: (r) => r.excessUnconverted,
      label: signalLabel,
      display: (r) => int(r.excessUnconverted),
      barClass: 'bar-warn',
    }),
    table(
      'Possible pumping',
      [
        { label: 'Destination', format: signalLabel },
        { label: 'Attempts', format: (r) => int(r.attempts) },
        { label: 'Unconverted', format: (r) => int(r.unconverted) },
        { label: 'Rate', format: (r) => pct(r.conversionRate) },
        { label: 'Excess', format: (r) => int(r.excessUnconverted) },
      ],
      signals,
    ),
  );
  report.hidden = false;
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function load() {
  if (loading) return;
  const windowName = new FormData(form).get('window');
  loading = true;
  say(`Loading ${WINDOW_NAMES[windowName]}…`);
  let res;
  let data;
  try {
    res = await fetch('verification-report', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ window: windowName }),
      cache: 'no-store',
      credentials: 'omit',
    });
    data = await res.json().catch(() => null);
  } catch {
    say('The report could not be loaded: check your connection.', true);
    return;
  } finally {
    loading = false;
  }
  if (!data?.ok) {
    if (res.status === 401) forgetToken();
    say(data?.error?.message || `The report could not be loaded (HTTP ${res.status}).`, true);
    return;
  }
  render(data);
  say(`Showing ${WINDOW_NAMES[windowName]}: ${int(data.totals.attempts)} attempts.`);
}

function forgetToken() {
  token = '';
  forget.hidden = true;
  report.hidden = true;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (tokenInput.value) token = tokenInput.value;
  // Out of the DOM as soon as it is read: the page keeps it only in `token`.
  tokenInput.value = '';
  if (!token) {
    say('Enter the admin token first.', true);
    tokenInput.focus();
    return;
  }
  forget.hidden = false;
  void load();
});

form.addEventListener('change', (event) => {
  if (event.target.name === 'window' && token) void load();
});

forget.addEventListener('click', () => {
  forgetToken();
  say('Token forgotten.');
  tokenInput.focus();
});
