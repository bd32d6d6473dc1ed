#!/usr/bin/env node
'use strict';
// The Node.js gRPC interop peer of StreamX: @grpc/grpc-js (pure JS) speaking gRPC over HTTP/2
// cleartext with Thrift Binary message bodies, service echo.TestService (idl/examples/echo.thrift).
// The server's handlers behave like the Kitex oracle server (shared/interop/kitex-captures/README.md);
// the client's modes mirror tests/StreamX.InteropPeer. One JSON object per line on stdout.
//
//   node peer.js server [--addr 127.0.0.1:0] [--service echo.TestService] [--compression identity|gzip|deflate]
//   node peer.js client --addr HOST:PORT --mode MODE [-n N] [--delay-ms D] [--cancel-after K]
//       [--timeout-ms T] [--msg TEXT] [--meta k=v]... [--streams S] [--service NAME]
//       [--cancel-wire rst-only|half-close-first|node] [--compression identity|gzip|deflate] [--wire]
//   MODE: pingpong | server | client | bidi | cancel | cancel-bidi | timeout | servererr | bizerr |
//         metadata | multi
//
// See README.md for the event schema. Exit code: 0 when the scenario ran (also when it ended with
// the error it was meant to provoke), 2 on usage errors, 1 on crashes.

const fs = require('fs');
const http2 = require('http2');
const zlib = require('zlib');

const USAGE = [
  'usage: node peer.js server [--addr HOST:PORT] [--service NAME] [--compression identity|gzip|deflate]',
  '       node peer.js client --addr HOST:PORT --mode pingpong|server|client|bidi|cancel|cancel-bidi|timeout|servererr|bizerr|metadata|multi',
  '           [-n N] [--delay-ms D] [--cancel-after K] [--timeout-ms T] [--msg TEXT] [--meta k=v]... [--streams S]',
  '           [--service NAME] [--cancel-wire rst-only|half-close-first|node] [--compression identity|gzip|deflate] [--wire]',
].join('\n');

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/** One event line: keys sorted, `event` and an ISO `ts` always present, undefined fields left out. */
function emit(event, fields = {}) {
  const all = { event, ts: new Date().toISOString(), ...fields };
  const sorted = {};
  for (const k of Object.keys(all).sort()) {
    if (all[k] !== undefined) sorted[k] = all[k];
  }
  process.stdout.write(JSON.stringify(sorted) + '\n');
}

/**
 * grpc-js Metadata → {key: value} (an array when a key repeats; `-bin` values as base64, which is
 * also how they travel on the wire). null when empty.
 */
function metaToObject(md) {
  if (!md) return null;
  const out = {};
  for (const [key, values] of Object.entries(md.getMap ? md.toJSON() : md)) {
    const vs = [].concat(values).map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : String(v)));
    out[key] = vs.length === 1 ? vs[0] : vs;
  }
  return Object.keys(out).length ? out : null;
}

/** Raw HTTP/2 header object (Node) → plain {name: value}, pseudo-headers included. */
function rawHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h || {})) {
    if (typeof k === 'string') out[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compression
// ---------------------------------------------------------------------------------------------

/** grpc-js's numbers for grpc.default_compression_algorithm (its CompressionAlgorithms enum). */
const COMPRESSION_ALGORITHMS = { identity: 0, deflate: 1, gzip: 2 };

/** The --compression value (default identity). */
function compressionOption(args) {
  const c = args.get('--compression') || 'identity';
  if (!(c in COMPRESSION_ALGORITHMS)) throw new UsageError(`--compression must be identity, gzip or deflate, got '${c}'`);
  return c;
}

/**
 * Counts the length-prefixed gRPC messages of one direction of an HTTP/2 stream as its DATA arrives
 * (chunks do not follow message boundaries): `messages`, and `compressed` (flag byte 1).
 */
function messageCounter() {
  const counter = { messages: 0, compressed: 0, pending: Buffer.alloc(0), skip: 0 };
  counter.add = (chunk) => {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    while (buf.length > 0) {
      if (counter.skip > 0) {
        const n = Math.min(counter.skip, buf.length);
        counter.skip -= n;
        buf = buf.subarray(n);
        continue;
      }
      counter.pending = Buffer.concat([counter.pending, buf]);
      buf = Buffer.alloc(0);
      if (counter.pending.length < 5) break;
      counter.messages++;
      if (counter.pending[0] === 1) counter.compressed++;
      const rest = counter.pending.subarray(5);
      counter.skip = counter.pending.readUInt32BE(1);
      counter.pending = Buffer.alloc(0);
      buf = rest;
    }
  };
  return counter;
}

/** Sees every 'data' event of a stream as its consumer (grpc-js) does, without becoming a consumer. */
function observeData(stream, onData) {
  const emit = stream.emit;
  stream.emit = function observedEmit(event, ...rest) {
    if (event === 'data') onData(rest[0]);
    return emit.call(this, event, ...rest);
  };
}

/** One framed gRPC message (flag 0) recompressed with `algorithm` (flag 1); anything else unchanged. */
function compressFrame(chunk, algorithm) {
  if (!Buffer.isBuffer(chunk) || chunk.length < 5 || chunk[0] !== 0 || chunk.readUInt32BE(1) !== chunk.length - 5) return null;
  // gRPC's "deflate" is the zlib format, which is what zlib.deflateSync writes (as grpc-js's client does).
  const body = algorithm === 'gzip' ? zlib.gzipSync(chunk.subarray(5)) : zlib.deflateSync(chunk.subarray(5));
  const out = Buffer.allocUnsafe(body.length + 5);
  out.writeUInt8(1, 0);
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

/**
 * Response compression on a grpc-js server stream. grpc-js 1.14.7 servers decompress requests but never
 * compress responses (server-interceptors.js: "response compression is currently not supported"), and
 * always answer `grpc-encoding: identity`. So, when the client's grpc-accept-encoding lists the
 * algorithm, this does it below grpc-js: `grpc-encoding` in the response headers, and each message
 * grpc-js writes (one framed message per write) compressed by Node's zlib, as the spec lets a server do.
 */
function compressResponses(stream, algorithm, info) {
  const respond = stream.respond;
  stream.respond = function compressedRespond(headers, options) {
    const trailersOnly = options && options.endStream;
    return respond.call(this, trailersOnly ? headers : { ...headers, 'grpc-encoding': algorithm }, options);
  };
  const write = stream.write;
  stream.write = function compressedWrite(chunk, ...rest) {
    const compressed = compressFrame(chunk, algorithm);
    if (compressed) info.response_compressed++;
    return write.call(this, compressed || chunk, ...rest);
  };
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

const FLAGS = new Set(['--wire']);

function parseArgs(argv) {
  const values = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (FLAGS.has(a)) {
      values.push([a, 'true']);
      continue;
    }
    if (!a.startsWith('-') || i + 1 >= argv.length) throw new UsageError(`expected '--option value', got '${a}'`);
    values.push([a, argv[++i]]);
  }
  const known = new Set(['--addr', '--service', '--mode', '-n', '--delay-ms', '--cancel-after', '--timeout-ms', '--msg', '--meta', '--streams', '--cancel-wire', '--compression', '--wire']);
  for (const [k] of values) {
    if (!known.has(k)) throw new UsageError(`unknown option '${k}'`);
  }
  return {
    get: (k) => { const hit = values.filter(([key]) => key === k).pop(); return hit ? hit[1] : undefined; },
    all: (k) => values.filter(([key]) => key === k).map(([, v]) => v),
    int(k, dflt) {
      const v = this.get(k);
      if (v === undefined) return dflt;
      if (!/^-?\d+$/.test(v)) throw new UsageError(`${k} expects an integer, got '${v}'`);
      return Number(v);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Service definition (hand-built: no .proto; bodies are Thrift Binary, see codec.js)
// ---------------------------------------------------------------------------------------------

function serviceDefinition(codec, service) {
  const def = {};
  const methods = {
    PingPong: [false, false, codec.unary],
    Echo: [true, true, codec.streaming],
    EchoClient: [true, false, codec.streaming],
    EchoServer: [false, true, codec.streaming],
  };
  for (const [name, [requestStream, responseStream, c]] of Object.entries(methods)) {
    def[name] = {
      path: `/${service}/${name}`,
      requestStream,
      responseStream,
      requestSerialize: c.requestSerialize,
      requestDeserialize: c.requestDeserialize,
      responseSerialize: c.responseSerialize,
      responseDeserialize: c.responseDeserialize,
      originalName: name,
    };
  }
  return def;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/** The oracle's options: "text,count:N,delay:MS,header:V,trailer:V,error:TEXT,bizerr:CODE:TEXT". */
function parseOptions(message) {
  const parts = String(message == null ? '' : message).split(',');
  const o = { text: parts[0], count: 3, delay: 200, delayGiven: false, header: null, trailer: null, error: null, bizerr: null };
  for (const part of parts.slice(1)) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    switch (key) {
      case 'count': o.count = parseInt(value, 10) || 0; break;
      case 'delay': o.delay = parseInt(value, 10) || 0; o.delayGiven = true; break;
      case 'header': o.header = value; break;
      case 'trailer': o.trailer = value; break;
      case 'error': o.error = value; break;
      case 'bizerr': {
        const c = value.indexOf(':');
        o.bizerr = c < 0 ? { code: value, message: '' } : { code: value.slice(0, c), message: value.slice(c + 1) };
        break;
      }
      default: break;
    }
  }
  return o;
}

/**
 * Wire facts grpc-js hides from handlers (it strips content-type and grpc-timeout from the call
 * metadata): recorded per HTTP/2 stream from the http2 server grpc-js creates.
 */
const serverStreams = new WeakMap();

function installServerHook(compression) {
  const original = http2.createServer;
  http2.createServer = function createServer(...args) {
    const server = original.apply(this, args);
    server.prependListener('stream', (stream, headers) => {
      const header = (name) => (headers[name] === undefined ? null : String(headers[name]));
      const info = {
        stream_id: stream.id,
        path: headers[':path'],
        content_type: header('content-type'),
        grpc_timeout: header('grpc-timeout'),
        grpc_encoding: header('grpc-encoding'),
        grpc_accept_encoding: header('grpc-accept-encoding'),
        aborted: false,
        requests: messageCounter(),
        response_compressed: 0,
      };
      serverStreams.set(stream, info);
      observeData(stream, info.requests.add);
      const accepted = (info.grpc_accept_encoding || '').split(',').map((e) => e.trim());
      if (compression !== 'identity' && accepted.includes(compression)) compressResponses(stream, compression, info);
      // 'aborted': Node saw an RST_STREAM from the client (or lost the connection) while the
      // response was still open.
      stream.once('aborted', () => { info.aborted = true; });
      stream.once('close', () => {
        emit('server_h2_close', {
          stream_id: info.stream_id,
          path: info.path,
          rst_code: stream.rstCode,
          aborted: info.aborted,
          request_messages: info.requests.messages,
          request_compressed: info.requests.compressed,
          response_compressed: info.response_compressed,
        });
      });
    });
    return server;
  };
}

function wireInfo(call) {
  // call.call is grpc-js's BaseServerInterceptingCall when no interceptors are configured.
  const stream = call && call.call && call.call.stream;
  return (stream && serverStreams.get(stream)) || {};
}

function deadlineFields(call) {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : Number(d);
  if (!Number.isFinite(ms)) return { deadline: null, timeout_ms: null };
  return { deadline: new Date(ms).toISOString(), timeout_ms: ms - Date.now() };
}

/** Per-call state shared by the handlers: counts, the cancel signal, the finished flag. */
function startCall(grpc, method, call, message) {
  const w = wireInfo(call);
  const ctx = {
    method,
    sent: 0,
    recv: 0,
    done: false,
    cancelled: false,
    ctxErr: null,
    waiters: new Set(),
    sleep(ms) {
      if (ms <= 0 || ctx.cancelled) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => { ctx.waiters.delete(wake); resolve(); }, ms);
        const wake = () => { clearTimeout(timer); resolve(); };
        ctx.waiters.add(wake);
      });
    },
  };
  emit('server_call', {
    method,
    message: message === undefined ? undefined : message,
    metadata: metaToObject(call.metadata),
    stream_id: w.stream_id,
    content_type: w.content_type,
    grpc_timeout: w.grpc_timeout,
    grpc_encoding: w.grpc_encoding,
    grpc_accept_encoding: w.grpc_accept_encoding,
    ...deadlineFields(call),
  });
  call.on('cancelled', () => {
    // grpc-js also emits 'cancelled' when the HTTP/2 stream closes after a normal finish.
    if (ctx.done || ctx.cancelled) return;
    ctx.cancelled = true;
    const d = call.getDeadline();
    const deadline = d instanceof Date ? d.getTime() : Number(d);
    const remaining = Number.isFinite(deadline) ? deadline - Date.now() : null;
    // A client enforcing the same deadline resets the stream a little before the server's own timer
    // (which would send status 4 itself): count anything within 20 ms of the deadline as the deadline.
    ctx.ctxErr = remaining !== null && remaining <= 20 ? 'deadline exceeded' : 'cancelled';
    emit('server_ctx_done', {
      method,
      ctx_err: ctx.ctxErr,
      reset_by_client: !!wireInfo(call).aborted,
      deadline_remaining_ms: remaining,
      sent_count: ctx.sent,
      recv_count: ctx.recv,
    });
    for (const wake of ctx.waiters) wake();
    ctx.waiters.clear();
  });
  return ctx;
}

function responseMetadata(grpc, o) {
  const headers = new grpc.Metadata();
  if (o.header !== null) headers.set('oracle-header', o.header);
  const trailers = new grpc.Metadata();
  if (o.trailer !== null) trailers.set('oracle-trailer', o.trailer);
  let status = null;
  if (o.bizerr) {
    trailers.set('biz-status', o.bizerr.code);
    trailers.set('biz-message', o.bizerr.message);
    status = { code: grpc.status.INTERNAL, details: o.bizerr.message, metadata: trailers };
  } else if (o.error !== null) {
    status = { code: grpc.status.INTERNAL, details: o.error, metadata: trailers };
  }
  return { headers: o.header !== null ? headers : null, trailers, status };
}

function endFields(ctx, status) {
  return {
    method: ctx.method,
    sent_count: ctx.sent,
    recv_count: ctx.recv,
    ctx_err: ctx.ctxErr,
    code: ctx.cancelled ? null : status ? status.code : 0,
    err: ctx.cancelled ? ctx.ctxErr : status ? status.details : '',
  };
}

function makeHandlers(grpc) {
  return {
    // Unary: echoes; header/trailer/error/bizerr options; delay:MS (only when given) before answering.
    PingPong(call, callback) {
      const message = call.request.message;
      const ctx = startCall(grpc, 'PingPong', call, message);
      if (call.request.missing) emit('server_warning', { method: 'PingPong', warning: 'args struct without field 1 (req)' });
      const o = parseOptions(message);
      const m = responseMetadata(grpc, o);
      (async () => {
        if (m.headers) call.sendMetadata(m.headers);
        if (o.delayGiven) await ctx.sleep(o.delay);
        ctx.done = true;
        if (ctx.cancelled) {
          emit('stream_end', endFields(ctx, null));
          callback(null, { message });
          return;
        }
        if (!m.status) ctx.sent = 1;
        emit('stream_end', endFields(ctx, m.status));
        if (m.status) callback(m.status);
        else callback(null, { message }, m.trailers);
      })();
    },

    // Server streaming: `count` responses "<msg>#i", `delay` ms apart, then trailer/error/bizerr.
    EchoServer(call) {
      const message = call.request.message;
      const ctx = startCall(grpc, 'EchoServer', call, message);
      const o = parseOptions(message);
      const m = responseMetadata(grpc, o);
      (async () => {
        if (m.headers) call.sendMetadata(m.headers);
        for (let i = 0; i < o.count; i++) {
          if (i > 0) await ctx.sleep(o.delay);
          if (ctx.cancelled) {
            // grpc-js drops writes on a cancelled call silently; report the failed send like Kitex does.
            emit('server_send_err', { method: 'EchoServer', index: i, err: ctx.ctxErr });
            break;
          }
          const text = `${message}#${i}`;
          call.write({ message: text });
          ctx.sent++;
          emit('server_send', { method: 'EchoServer', index: i, message: text });
        }
        finishStream(ctx, call, m);
      })();
    },

    // Client streaming: concatenates every request, answers once at the client's EOF. Options
    // (header/trailer/error/bizerr) are read from the first request.
    EchoClient(call, callback) {
      const ctx = startCall(grpc, 'EchoClient', call);
      let all = '';
      let m = null;
      call.on('data', (req) => {
        emit('server_recv', { method: 'EchoClient', index: ctx.recv, message: req.message });
        if (ctx.recv === 0) {
          m = responseMetadata(grpc, parseOptions(req.message));
          if (m.headers) call.sendMetadata(m.headers);
        }
        ctx.recv++;
        all += req.message == null ? '' : req.message;
      });
      call.on('end', () => setImmediate(() => {
        // An RST_STREAM also ends grpc-js's request stream ('end' before 'cancelled'): not an EOF.
        if (ctx.done || ctx.cancelled || wireInfo(call).aborted) return;
        ctx.done = true;
        m = m || responseMetadata(grpc, parseOptions(''));
        if (!m.status) ctx.sent = 1;
        emit('stream_end', endFields(ctx, m.status));
        if (m.status) callback(m.status);
        else callback(null, { message: all }, m.trailers);
      }));
      call.on('close', () => {
        if (ctx.cancelled && !ctx.done) { ctx.done = true; emit('stream_end', endFields(ctx, null)); }
      });
      call.on('error', () => {});
    },

    // Bidi: echoes every request until the client's EOF. Options are read from the first request
    // (header before the first echo; trailer/error/bizerr at the end).
    Echo(call) {
      const ctx = startCall(grpc, 'Echo', call);
      let m = null;
      call.on('data', (req) => {
        emit('server_recv', { method: 'Echo', index: ctx.recv, message: req.message });
        if (ctx.recv === 0) {
          m = responseMetadata(grpc, parseOptions(req.message));
          if (m.headers) call.sendMetadata(m.headers);
        }
        ctx.recv++;
        if (ctx.cancelled) {
          emit('server_send_err', { method: 'Echo', index: ctx.sent, err: ctx.ctxErr });
          return;
        }
        call.write({ message: req.message });
        emit('server_send', { method: 'Echo', index: ctx.sent, message: req.message });
        ctx.sent++;
      });
      call.on('end', () => setImmediate(() => {
        // An RST_STREAM also ends grpc-js's request stream ('end' before 'cancelled'): not an EOF.
        if (ctx.cancelled || wireInfo(call).aborted) return;
        finishStream(ctx, call, m || responseMetadata(grpc, parseOptions('')));
      }));
      call.on('close', () => {
        if (ctx.cancelled && !ctx.done) { ctx.done = true; emit('stream_end', endFields(ctx, null)); }
      });
      call.on('error', () => {});
    },
  };
}

function finishStream(ctx, call, m) {
  if (ctx.done) return;
  ctx.done = true;
  if (ctx.cancelled) {
    emit('stream_end', endFields(ctx, null));
    return;
  }
  emit('stream_end', endFields(ctx, m.status));
  if (m.status) call.emit('error', m.status);
  else call.end(m.trailers);
}

function runServer(args) {
  const compression = compressionOption(args);
  installServerHook(compression);
  const grpc = require('@grpc/grpc-js');
  const codec = require('./codec');
  const service = args.get('--service') || 'echo.TestService';
  const addr = args.get('--addr') || '127.0.0.1:0';
  // grpc-js takes the option but (1.14.7) does not compress responses; installServerHook does it.
  const server = new grpc.Server(compression === 'identity' ? {} : { 'grpc.default_compression_algorithm': COMPRESSION_ALGORITHMS[compression] });
  server.addService(serviceDefinition(codec, service), makeHandlers(grpc));
  server.bindAsync(addr, grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`peer.js server: cannot bind ${addr}: ${err.message}\n`);
      process.exit(1);
    }
    const host = addr.slice(0, addr.lastIndexOf(':'));
    emit('server_listening', { addr: `${host}:${port}`, service, compression });
  });

  let stopping = false;
  const stop = (reason) => {
    if (stopping) return;
    stopping = true;
    emit('server_stop', { reason });
    server.forceShutdown();
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A harness that dies closes our stdin pipe: stop then. Not when stdin is /dev/null or a file
  // (a shell's `&` gives /dev/null), where EOF would come at once.
  const st = fs.fstatSync(0);
  if (st.isFIFO() || st.isSocket() || process.stdin.isTTY) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/**
 * Hooks the HTTP/2 sessions grpc-js opens (it calls http2.connect at connect time):
 * - cancel on the wire: grpc-js cancels a call (call.cancel(), or its own deadline timer) with
 *   http2Stream.close(NGHTTP2_CANCEL). When the request side is still open, Node's close() first
 *   calls end() and then submits RST_STREAM(CANCEL): the empty END_STREAM DATA frame goes out before
 *   the reset when no writes are queued, and not at all when some are (a race). --cancel-wire:
 *     rst-only (default): abort the request's AbortSignal instead, which Node turns into
 *       stream.destroy(AbortError) → RST_STREAM(CANCEL) alone, never END_STREAM;
 *     half-close-first: end() and wait for 'finish', then close(): always END_STREAM, then RST_STREAM;
 *     node: grpc-js and Node unchanged (racy, as above).
 *   A request side that was already half-closed (unary, server streaming, client streaming after
 *   end()) gets RST_STREAM(CANCEL) alone in every mode.
 * - with --wire, the raw request/response headers and trailers, and the stream's close, as events.
 */
function installClientHook(opts) {
  const { NGHTTP2_NO_ERROR } = http2.constants;
  const streams = new Set();
  const original = http2.connect;
  http2.connect = function connect(...args) {
    const session = original.apply(this, args);
    const request = session.request;
    session.request = function patchedRequest(headers, options) {
      const abort = new AbortController();
      const stream = request.call(this, headers, { ...(options || {}), signal: abort.signal });
      const info = { path: headers[':path'], cancel_wire: null, requests: messageCounter(), responses: messageCounter() };
      observeData(stream, info.responses.add);
      const write = stream.write;
      stream.write = function countedWrite(chunk, ...rest) {
        info.requests.add(chunk);
        return write.call(this, chunk, ...rest);
      };
      streams.add(stream);
      const close = stream.close;
      stream.close = function patchedClose(code = NGHTTP2_NO_ERROR, callback) {
        const requestOpen = code !== NGHTTP2_NO_ERROR && !this.closed && !this.destroyed && !this.writableEnded;
        if (requestOpen && opts.cancelWire === 'rst-only') {
          if (callback) this.once('close', callback);
          info.cancel_wire = 'rst-only';
          abort.abort();
          return;
        }
        if (requestOpen && opts.cancelWire === 'half-close-first') {
          // Deterministic END_STREAM then RST_STREAM: wait until the queued writes and the
          // END_STREAM are handed to nghttp2, which flushes them before the RST_STREAM.
          info.cancel_wire = 'half-close-first';
          this.once('finish', () => close.call(this, code, callback));
          this.end();
          return;
        }
        close.call(this, code, callback);
      };
      if (opts.wire) {
        const ready = () => emit('client_h2_request', { stream_id: stream.id, headers: rawHeaders(headers) });
        if (stream.pending) stream.once('ready', ready);
        else ready();
        stream.once('response', (h) => emit('client_h2_response', { stream_id: stream.id, headers: rawHeaders(h) }));
        stream.once('trailers', (h) => emit('client_h2_trailers', { stream_id: stream.id, headers: rawHeaders(h) }));
      }
      stream.once('close', () => {
        if (opts.wire) {
          emit('client_h2_close', {
            stream_id: stream.id,
            path: info.path,
            rst_code: stream.rstCode,
            cancel_wire: info.cancel_wire,
            request_messages: info.requests.messages,
            request_compressed: info.requests.compressed,
            response_messages: info.responses.messages,
            response_compressed: info.responses.compressed,
          });
        }
        streams.delete(stream);
        if (streams.size === 0) for (const f of opts.onIdle.splice(0)) f();
      });
      return stream;
    };
    return session;
  };
  return {
    /** Resolves when no hooked HTTP/2 stream is open any more (or after maxMs). */
    idle(maxMs) {
      if (streams.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const t = setTimeout(resolve, maxMs);
        opts.onIdle.push(() => { clearTimeout(t); resolve(); });
      });
    },
  };
}

function statusName(grpc, code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
}

function runClient(args) {
  const mode = args.get('--mode');
  const MODES = ['pingpong', 'server', 'client', 'bidi', 'cancel', 'cancel-bidi', 'timeout', 'servererr', 'bizerr', 'metadata', 'multi'];
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join('|')}, got '${mode}'`);
  const addr = args.get('--addr');
  if (!addr) throw new UsageError('--addr HOST:PORT is required');
  const cancelWire = args.get('--cancel-wire') || 'rst-only';
  if (!['rst-only', 'half-close-first', 'node'].includes(cancelWire)) throw new UsageError(`--cancel-wire must be rst-only, half-close-first or node, got '${cancelWire}'`);
  const n = args.int('-n', 3);
  const delay = args.int('--delay-ms', 200);
  const cancelAfter = args.int('--cancel-after', 2);
  const timeoutMs = args.int('--timeout-ms', mode === 'timeout' ? 500 : undefined);
  const msg = args.get('--msg') || (mode === 'pingpong' ? 'ping' : 'hello');
  const streamsCount = args.int('--streams', 3);
  const service = args.get('--service') || 'echo.TestService';
  const wire = args.get('--wire') === 'true';
  const compression = compressionOption(args);

  const hookOpts = { cancelWire, wire, onIdle: [] };
  const hook = installClientHook(hookOpts);
  const grpc = require('@grpc/grpc-js');
  const codec = require('./codec');
  const def = serviceDefinition(codec, service);

  const metaPairs = args.all('--meta');
  const metaSpec = metaPairs.length || mode !== 'metadata' ? metaPairs : ['streamx-meta=mv1', 'streamx-meta-bin=AAEC/w=='];
  const buildMetadata = () => {
    const md = new grpc.Metadata();
    for (const pair of metaSpec) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--meta expects k=v, got '${pair}'`);
      const key = pair.slice(0, eq).toLowerCase();
      const value = pair.slice(eq + 1);
      try {
        md.add(key, key.endsWith('-bin') ? Buffer.from(value, 'base64') : value);
      } catch (e) {
        throw new UsageError(`--meta ${pair}: ${e.message}`);
      }
    }
    return md;
  };
  buildMetadata(); // validate before connecting
  const callOptions = () => (timeoutMs !== undefined ? { deadline: new Date(Date.now() + timeoutMs) } : {});

  // grpc.default_compression_algorithm: grpc-js sends grpc-encoding and compresses every message (unless a
  // server on this channel already answered without the algorithm in its grpc-accept-encoding).
  const channelOptions = compression === 'identity' ? {} : { 'grpc.default_compression_algorithm': COMPRESSION_ALGORITHMS[compression] };
  const client = new grpc.Client(addr, grpc.credentials.createInsecure(), channelOptions);

  /**
   * Follows one call to its end: header, messages, status + trailer; resolves after the status and
   * (for streams) the end of the response stream, then emits client_end.
   */
  function follow(call, method, { readable, extra = {}, onRecv, unaryDone }) {
    const started = Date.now();
    let header = null;
    let status = null;
    let ended = !readable;
    let recv = 0;
    let response;
    return new Promise((resolve) => {
      const maybeEnd = () => {
        if (!status || !ended || (unaryDone && !unaryDone.done)) return;
        hook.idle(wire ? 1000 : 0).then(() => {
          emit('client_end', {
            method,
            mode,
            ...extra,
            recv_count: readable ? recv : undefined,
            response,
            code: status.code,
            status: statusName(grpc, status.code),
            details: status.details,
            err: status.code === grpc.status.OK ? '' : status.details,
            header: metaToObject(header),
            trailer: metaToObject(status.metadata),
            elapsed_ms: Date.now() - started,
          });
          resolve(status);
        });
      };
      call.on('metadata', (md) => {
        header = md;
        emit('client_header', { method, ...extra, metadata: metaToObject(md) });
      });
      call.on('status', (st) => {
        status = st;
        emit('client_trailer', { method, ...extra, code: st.code, metadata: metaToObject(st.metadata) });
        maybeEnd();
      });
      if (readable) {
        call.on('data', (m) => {
          emit('client_recv', { method, ...extra, index: recv, message: m.message });
          recv++;
          if (onRecv) onRecv(recv);
        });
        call.on('end', () => { ended = true; maybeEnd(); });
        call.on('error', () => { /* reported through 'status' */ });
      }
      if (unaryDone) {
        unaryDone.onDone = (value) => { response = value ? value.message : undefined; maybeEnd(); };
        if (unaryDone.done) unaryDone.onDone(unaryDone.value);
      }
    });
  }

  function unaryCallback() {
    const state = { done: false, onDone: null };
    state.callback = (err, value) => {
      state.done = true;
      state.value = err ? null : value;
      if (state.onDone) state.onDone(state.value);
    };
    return state;
  }

  function cancel(call, method, after, extra = {}) {
    emit('client_cancel', { method, ...extra, after });
    call.cancel();
  }

  function serverStream(message, { cancelAt = -1, extra = {} } = {}) {
    const m = def.EchoServer;
    const call = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, { message }, buildMetadata(), callOptions());
    emit('client_sent', { method: 'EchoServer', ...extra, index: 0, message });
    const done = follow(call, 'EchoServer', { readable: true, extra, onRecv: (k) => { if (k === cancelAt) cancel(call, 'EchoServer', k, extra); } });
    if (cancelAt === 0) setImmediate(() => cancel(call, 'EchoServer', 0, extra));
    return done;
  }

  function bidi({ cancelAt = -1 } = {}) {
    const m = def.Echo;
    const call = client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, buildMetadata(), callOptions());
    const done = follow(call, 'Echo', { readable: true, onRecv: (k) => { if (k === cancelAt) cancel(call, 'Echo', k); } });
    for (let i = 0; i < n; i++) {
      const text = streamText(i, '');
      call.write({ message: text });
      emit('client_sent', { method: 'Echo', index: i, message: text });
    }
    if (cancelAt < 0) {
      call.end();
      emit('client_close_send', { method: 'Echo' });
    } else if (cancelAt === 0) {
      setImmediate(() => cancel(call, 'Echo', 0));
    }
    return done;
  }

  const options = (extra) => `${msg},count:${n},delay:${delay}${extra}`;
  // Request i of the client-streaming and bidi modes: "<msg>-<i>" (EchoClient: "<msg>-<i>;"), like
  // the Go oracle client. Options in --msg ("text,header:V,...") go on request 0 only, after the
  // suffix, where the server reads them.
  function streamText(i, suffix) {
    const comma = msg.indexOf(',');
    const head = comma < 0 ? msg : msg.slice(0, comma);
    const rest = comma < 0 || i > 0 ? '' : msg.slice(comma);
    return `${head}-${i}${suffix}${rest}`;
  }
  let scenario;
  switch (mode) {
    case 'pingpong': {
      const m = def.PingPong;
      const u = unaryCallback();
      const call = client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, { message: msg }, buildMetadata(), callOptions(), u.callback);
      emit('client_sent', { method: 'PingPong', index: 0, message: msg });
      scenario = follow(call, 'PingPong', { readable: false, unaryDone: u });
      break;
    }
    case 'client': {
      const m = def.EchoClient;
      const u = unaryCallback();
      const call = client.makeClientStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, buildMetadata(), callOptions(), u.callback);
      scenario = follow(call, 'EchoClient', { readable: false, unaryDone: u });
      for (let i = 0; i < n; i++) {
        const text = streamText(i, ';');
        call.write({ message: text });
        emit('client_sent', { method: 'EchoClient', index: i, message: text });
      }
      call.end();
      emit('client_close_send', { method: 'EchoClient' });
      break;
    }
    case 'bidi':
      scenario = bidi();
      break;
    case 'cancel-bidi':
      scenario = bidi({ cancelAt: cancelAfter });
      break;
    case 'cancel':
      scenario = serverStream(options(''), { cancelAt: cancelAfter });
      break;
    case 'servererr':
      scenario = serverStream(options(',error:oracle handler failure'));
      break;
    case 'bizerr':
      scenario = serverStream(options(',bizerr:4001:oracle biz failure'));
      break;
    case 'metadata':
      scenario = serverStream(`${msg},header:hv1,trailer:tv1,count:${n},delay:${delay}`);
      break;
    case 'multi':
      scenario = Promise.all(Array.from({ length: streamsCount }, (_, s) => serverStream(`${msg}${s},count:${n},delay:${delay}`, { extra: { stream_index: s } })));
      break;
    default: // server, timeout
      scenario = serverStream(options(''));
      break;
  }

  return scenario.then(() => {
    client.close();
    // Nothing should keep the loop alive now; if something does, do not hang the harness.
    setTimeout(() => process.exit(0), 1000).unref();
  });
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
  const command = argv[0];
  if (command !== 'server' && command !== 'client') throw new UsageError(`expected 'server' or 'client'`);
  const args = parseArgs(argv.slice(1));
  if (command === 'server') runServer(args);
  else runClient(args).catch(crash);
}

function crash(e) {
  if (e instanceof UsageError) {
    process.stderr.write(`peer.js: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`peer.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}

process.on('uncaughtException', crash);
try {
  main(process.argv.slice(2));
} catch (e) {
  crash(e);
}
