#!/usr/bin/env node
'use strict';
// A frame-logging TCP proxy for HTTP/2 cleartext (prior knowledge): what actually goes over the wire
// between a gRPC client and server, one JSON object per frame on stdout.
//
//   node h2frames.js --listen 127.0.0.1:0 --target 127.0.0.1:PORT
//
// Prints {"event":"proxy_listening","addr":"127.0.0.1:P"} first; point the client at that address.
// Frame lines: {"event":"frame","conn":1,"dir":"c2s"|"s2c","t":seconds,"type":"DATA",...,"stream_id":N,
// "flags":[...],"length":N} plus per type: DATA `end_stream` and the gRPC messages completed by this
// frame (`grpc`: [{compressed, length, hex}]); HEADERS `end_stream`, `end_headers`, `block_length`
// (HPACK is not decoded: use the peers' h2 events for header values); RST_STREAM / GOAWAY
// `error_code` (name); SETTINGS `settings`; WINDOW_UPDATE `increment`; PING `ack`.
// Exits on SIGTERM/SIGINT or when stdin (if a pipe) closes.

const net = require('net');

const TYPES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];
const ERRORS = ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED'];
const SETTINGS = { 1: 'HEADER_TABLE_SIZE', 2: 'ENABLE_PUSH', 3: 'MAX_CONCURRENT_STREAMS', 4: 'INITIAL_WINDOW_SIZE', 5: 'MAX_FRAME_SIZE', 6: 'MAX_HEADER_LIST_SIZE', 8: 'ENABLE_CONNECT_PROTOCOL' };
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const START = process.hrtime.bigint();

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function errorName(code) {
  return ERRORS[code] || `0x${code.toString(16)}`;
}

function flagNames(type, flags) {
  const names = [];
  if ((type === 0 || type === 1) && flags & 0x1) names.push('END_STREAM');
  if ((type === 4 || type === 6) && flags & 0x1) names.push('ACK');
  if ((type === 1 || type === 5 || type === 9) && flags & 0x4) names.push('END_HEADERS');
  if ((type === 0 || type === 1 || type === 5) && flags & 0x8) names.push('PADDED');
  if (type === 1 && flags & 0x20) names.push('PRIORITY');
  return names;
}

/** Parses one direction of one connection; `grpcBuffers` collects gRPC messages per stream. */
function makeParser(conn, dir) {
  let buf = Buffer.alloc(0);
  let prefaceLeft = dir === 'c2s' ? PREFACE.length : 0;
  const grpcBuffers = new Map();
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (prefaceLeft > 0) {
      const n = Math.min(prefaceLeft, buf.length);
      buf = buf.subarray(n);
      prefaceLeft -= n;
      if (prefaceLeft === 0) emit({ event: 'preface', conn, dir });
    }
    while (buf.length >= 9) {
      const length = buf.readUIntBE(0, 3);
      if (buf.length < 9 + length) break;
      const type = buf[3];
      const flags = buf[4];
      const streamId = buf.readUInt32BE(5) & 0x7fffffff;
      let payload = buf.subarray(9, 9 + length);
      buf = buf.subarray(9 + length);
      const f = { event: 'frame', conn, dir, t: Number(process.hrtime.bigint() - START) / 1e9, type: TYPES[type] || `0x${type.toString(16)}`, stream_id: streamId, flags: flagNames(type, flags), length };
      if ((type === 0 || type === 1) && flags & 0x8) {
        const pad = payload[0];
        payload = payload.subarray(1, payload.length - pad);
      }
      switch (type) {
        case 0: { // DATA
          f.end_stream = !!(flags & 0x1);
          let g = Buffer.concat([grpcBuffers.get(streamId) || Buffer.alloc(0), payload]);
          const messages = [];
          while (g.length >= 5 && g.length >= 5 + g.readUInt32BE(1)) {
            const len = g.readUInt32BE(1);
            messages.push({ compressed: g[0], length: len, hex: g.subarray(5, 5 + len).toString('hex') });
            g = g.subarray(5 + len);
          }
          grpcBuffers.set(streamId, g);
          if (messages.length) f.grpc = messages;
          if (g.length) f.grpc_partial_bytes = g.length;
          break;
        }
        case 1: // HEADERS
          f.end_stream = !!(flags & 0x1);
          f.end_headers = !!(flags & 0x4);
          f.block_length = payload.length - (flags & 0x20 ? 5 : 0);
          break;
        case 3: // RST_STREAM
          f.error_code = errorName(payload.readUInt32BE(0));
          break;
        case 4: // SETTINGS
          f.settings = {};
          for (let i = 0; i + 6 <= payload.length; i += 6) {
            f.settings[SETTINGS[payload.readUInt16BE(i)] || payload.readUInt16BE(i)] = payload.readUInt32BE(i + 2);
          }
          break;
        case 6: // PING
          f.ack = !!(flags & 0x1);
          break;
        case 7: // GOAWAY
          f.last_stream_id = payload.readUInt32BE(0) & 0x7fffffff;
          f.error_code = errorName(payload.readUInt32BE(4));
          if (payload.length > 8) f.debug = payload.subarray(8).toString('utf8');
          break;
        case 8: // WINDOW_UPDATE
          f.increment = payload.readUInt32BE(0) & 0x7fffffff;
          break;
        default:
          break;
      }
      emit(f);
    }
  };
}

function parseHostPort(s) {
  const i = s.lastIndexOf(':');
  if (i < 0) throw new Error(`expected HOST:PORT, got '${s}'`);
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
}

function main(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`expected '--option value', got '${argv[i]}'`);
    opts[argv[i].slice(2)] = argv[i + 1];
  }
  if (!opts.target) throw new Error('usage: node h2frames.js --listen HOST:PORT --target HOST:PORT');
  const listen = parseHostPort(opts.listen || '127.0.0.1:0');
  const target = parseHostPort(opts.target);
  let connections = 0;
  const server = net.createServer((client) => {
    const conn = ++connections;
    const upstream = net.connect(target.port, target.host);
    emit({ event: 'conn_open', conn });
    const c2s = makeParser(conn, 'c2s');
    const s2c = makeParser(conn, 's2c');
    client.on('data', (d) => { c2s(d); upstream.write(d); });
    upstream.on('data', (d) => { s2c(d); client.write(d); });
    let closed = false;
    const close = (who) => () => {
      if (closed) return;
      closed = true;
      emit({ event: 'conn_close', conn, by: who });
      client.destroy();
      upstream.destroy();
    };
    client.once('close', close('client'));
    upstream.once('close', close('server'));
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  server.listen(listen.port, listen.host, () => {
    const a = server.address();
    emit({ event: 'proxy_listening', addr: `${a.address}:${a.port}` });
  });
  const stop = () => { server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const fs = require('fs');
  const st = fs.fstatSync(0);
  if (st.isFIFO() || st.isSocket()) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`h2frames: ${e.message}\n`);
  process.exit(2);
}
