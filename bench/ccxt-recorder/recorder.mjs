// The reference a user would otherwise write with ccxt pro: `while (true) { t = await ex.watchTicker('BTC/USD') }` on
// three venues and a 1 Hz timer appending the median of the three mids to a file. bench/compare.sh runs it beside the
// daemon against the same local fakes.
//
// ccxt itself cannot be pointed at these fakes: its coinbase watchTicker subscribes `ticker` without `heartbeat`
// (the fake, like the collector, wants both), its kraken client speaks WebSocket v1 while the fake speaks v2, and its
// bitstamp has no watchTicker. So this file does what ccxt pro's watchTicker does, on the same client ccxt pro runs on
// in Node (the `ws` package): JSON.parse of every message, a ccxt-shaped ticker object built from it (numbers parsed,
// ISO datetime), and a promise per watchTicker call resolved by the next message (ccxt's Future), awaited in a loop.
//
//   node recorder.mjs OUT_FILE COINBASE_URL KRAKEN_URL BITSTAMP_URL
import fs from 'node:fs';
import WebSocket from 'ws';

const [out, coinbaseUrl, krakenUrl, bitstampUrl] = process.argv.slice(2);
if (!out || !coinbaseUrl || !krakenUrl || !bitstampUrl) {
  console.error('usage: node recorder.mjs OUT_FILE COINBASE_URL KRAKEN_URL BITSTAMP_URL');
  process.exit(2);
}

const num = (v) => (v === undefined || v === null || v === '' ? undefined : parseFloat(v));

function ticker(symbol, timestamp, bid, ask, last, info) {
  // ccxt's safeTicker: every unified key present, derived ones computed.
  return {
    symbol, timestamp, datetime: new Date(timestamp).toISOString(), high: undefined, low: undefined,
    bid, bidVolume: undefined, ask, askVolume: undefined, vwap: undefined, open: undefined, close: last, last,
    previousClose: undefined, change: undefined, percentage: undefined, average: undefined,
    baseVolume: undefined, quoteVolume: undefined, info,
  };
}

const venues = {
  coinbase: {
    url: coinbaseUrl,
    subscribe: { type: 'subscribe', product_ids: ['BTC-USD'], channels: ['ticker', 'heartbeat'] },
    parse: (m) => (m.type === 'ticker' ? ticker('BTC/USD', Date.parse(m.time), num(m.best_bid), num(m.best_ask), num(m.price), m) : undefined),
  },
  kraken: {
    url: krakenUrl,
    subscribe: { method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo' }, req_id: 1 },
    parse: (m) => (m.channel === 'ticker' && Array.isArray(m.data) && m.data.length > 0
      ? ticker('BTC/USD', Date.now(), num(m.data[0].bid), num(m.data[0].ask), num(m.data[0].last), m) : undefined),
  },
  bitstamp: {
    url: bitstampUrl,
    subscribe: { event: 'bts:subscribe', data: { channel: 'order_book_btcusd' } },
    parse: (m) => (m.event === 'data' && m.data && m.data.bids && m.data.asks && m.data.bids.length > 0 && m.data.asks.length > 0
      ? ticker('BTC/USD', Number(m.data.microtimestamp) / 1000, num(m.data.bids[0][0]), num(m.data.asks[0][0]), undefined, m) : undefined),
  },
};

const mids = {};

function connect(name, venue) {
  const socket = new WebSocket(venue.url);
  socket.on('open', () => socket.send(JSON.stringify(venue.subscribe)));
  socket.on('message', (data) => {
    const parsed = venue.parse(JSON.parse(data.toString()));
    if (parsed === undefined) {
      return;
    }
    const waiting = venue.pending;
    venue.pending = [];
    for (const resolve of waiting) {
      resolve(parsed);
    }
  });
  socket.on('close', () => setTimeout(() => connect(name, venue), 1000));
  socket.on('error', () => {});
}

async function watchLoop(name, venue) {
  for (;;) {
    const t = await venue.watchTicker();
    if (t.bid > 0 && t.ask > t.bid) {
      mids[name] = { mid: (t.bid + t.ask) / 2, at: Date.now() };
    }
  }
}

const fd = fs.openSync(out, 'a');
function tick() {
  const now = Date.now();
  const fresh = Object.values(mids).filter((m) => now - m.at < 5000).map((m) => m.mid).sort((a, b) => a - b);
  const median = fresh.length === 0 ? null
    : fresh.length % 2 === 1 ? fresh[(fresh.length - 1) / 2] : (fresh[fresh.length / 2 - 1] + fresh[fresh.length / 2]) / 2;
  fs.writeSync(fd, `${JSON.stringify({ type: 'tick', ts: new Date(now).toISOString(), brti: median })}\n`);
  setTimeout(tick, 1000 - (Date.now() % 1000) + 1);
}

for (const [name, venue] of Object.entries(venues)) {
  venue.pending = [];
  venue.watchTicker = () => new Promise((resolve) => venue.pending.push(resolve));
  connect(name, venue);
  watchLoop(name, venue);
}
setTimeout(tick, 1000 - (Date.now() % 1000) + 1);
process.on('SIGTERM', () => { fs.closeSync(fd); process.exit(0); });
