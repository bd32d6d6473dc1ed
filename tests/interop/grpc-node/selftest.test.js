'use strict';
// End-to-end self-test of peer.js: the Node client against the Node server in every mode, the
// cancel wire behaviour through h2frames.js, and (when curl has HTTP/2) a non-Node client sending
// application/grpc+thrift. No sleeps: every wait is for an output line, with a timeout.
//
//   ./setup.sh && node --test selftest.test.js        (or ./selftest.sh)

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const HERE = __dirname;
const WAIT_MS = 15000;

/** A running process whose stdout is JSON lines; waitFor() resolves with the first match after `from`. */
function start(script, args) {
  const child = spawn(process.execPath, [path.join(HERE, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const proc = { child, lines: [], waiters: [], stderr: '', exited: null };
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let ev;
    try { ev = JSON.parse(line); } catch { ev = { event: 'non_json', line }; }
    proc.lines.push(ev);
    for (const w of [...proc.waiters]) w();
  });
  child.stderr.on('data', (d) => { proc.stderr += d; });
  proc.done = new Promise((resolve) => child.on('exit', (code, signal) => { proc.exited = { code, signal }; for (const w of [...proc.waiters]) w(); resolve(proc.exited); }));
  proc.mark = () => proc.lines.length;
  proc.waitFor = (pred, from = 0, what = 'event') => new Promise((resolve, reject) => {
    const check = () => {
      const hit = proc.lines.slice(from).find(pred);
      if (hit) { cleanup(); resolve(hit); return true; }
      if (proc.exited) { cleanup(); reject(new Error(`${script} exited (${JSON.stringify(proc.exited)}) before ${what}; stderr: ${proc.stderr}`)); return true; }
      return false;
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${what}; lines: ${JSON.stringify(proc.lines.slice(from))}`)); }, WAIT_MS);
    const cleanup = () => { clearTimeout(timer); proc.waiters = proc.waiters.filter((w) => w !== check); };
    if (!check()) proc.waiters.push(check);
  });
  return proc;
}

/** Runs a client to completion; returns its events (asserting exit code 0). */
async function client(addr, ...args) {
  const p = start('peer.js', ['client', '--addr', addr, ...args]);
  const { code } = await p.done;
  assert.equal(code, 0, `client exited ${code}: ${p.stderr}`);
  const bad = p.lines.filter((e) => e.event === 'non_json');
  assert.deepEqual(bad, [], 'stdout must be JSON lines only');
  return p.lines;
}

const only = (events, name) => events.filter((e) => e.event === name);
const one = (events, name) => { const all = only(events, name); assert.equal(all.length, 1, `one ${name} expected: ${JSON.stringify(events)}`); return all[0]; };

let server;
let addr;

test.before(async () => {
  server = start('peer.js', ['server', '--addr', '127.0.0.1:0']);
  addr = (await server.waitFor((e) => e.event === 'server_listening', 0, 'server_listening')).addr;
});

test.after(async () => {
  server.child.stdin.end(); // the server stops when its stdin closes
  const exit = await server.done;
  assert.equal(exit.code, 0);
  assert.ok(server.lines.some((e) => e.event === 'server_stop' && e.reason === 'stdin closed'));
});

/** The server's events for the next call after `from`, up to its stream_end. */
async function serverCall(from, method) {
  const call = await server.waitFor((e) => e.event === 'server_call' && e.method === method, from, `server_call ${method}`);
  const i = server.lines.indexOf(call);
  const end = await server.waitFor((e) => e.event === 'stream_end' && e.method === method, i, `stream_end ${method}`);
  const close = await server.waitFor((e) => e.event === 'server_h2_close' && e.stream_id === call.stream_id, i, 'server_h2_close');
  return server.lines.slice(i, Math.max(server.lines.indexOf(end), server.lines.indexOf(close)) + 1);
}

test('pingpong: unary echo with Kitex args/result wrappers', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'pingpong', '--msg', 'ping-1');
  const end = one(ev, 'client_end');
  assert.equal(end.code, 0);
  assert.equal(end.status, 'OK');
  assert.equal(end.response, 'ping-1');
  assert.equal(ev[ev.length - 1].event, 'client_end', 'client_end is the last line');
  const s = await serverCall(m, 'PingPong');
  assert.equal(s[0].message, 'ping-1');
  assert.equal(s[0].content_type, 'application/grpc');
  assert.equal(s[0].metadata['user-agent'].startsWith('grpc-node-js/'), true);
  assert.equal(s[0].deadline, null);
  assert.equal(one(s, 'stream_end').code, 0);
});

test('server: EchoServer sends count responses', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'server', '-n', '3', '--delay-ms', '5');
  assert.deepEqual(only(ev, 'client_recv').map((e) => e.message), [0, 1, 2].map((i) => `hello,count:3,delay:5#${i}`));
  const end = one(ev, 'client_end');
  assert.equal(end.code, 0);
  assert.equal(end.recv_count, 3);
  const s = await serverCall(m, 'EchoServer');
  assert.equal(one(s, 'stream_end').sent_count, 3);
  assert.equal(only(s, 'server_ctx_done').length, 0, "grpc-js 'cancelled' after a normal finish is not reported");
});

test('client: EchoClient concatenates', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'client', '-n', '3');
  assert.equal(one(ev, 'client_end').response, 'hello-0;hello-1;hello-2;');
  const s = await serverCall(m, 'EchoClient');
  assert.deepEqual(only(s, 'server_recv').map((e) => e.index), [0, 1, 2]);
  assert.equal(one(s, 'stream_end').recv_count, 3);
});

test('bidi: Echo echoes until EOF', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'bidi', '-n', '4');
  assert.deepEqual(only(ev, 'client_recv').map((e) => e.message), ['hello-0', 'hello-1', 'hello-2', 'hello-3']);
  assert.equal(one(ev, 'client_end').code, 0);
  const s = await serverCall(m, 'Echo');
  assert.equal(one(s, 'stream_end').code, 0);
  assert.equal(one(s, 'stream_end').recv_count, 4);
});

test('cancel: EchoServer cancelled after 2 responses', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'cancel', '-n', '10', '--delay-ms', '100', '--cancel-after', '2');
  assert.equal(one(ev, 'client_cancel').after, 2);
  const end = one(ev, 'client_end');
  assert.equal(end.code, 1);
  assert.equal(end.status, 'CANCELLED');
  assert.equal(end.recv_count, 2);
  const s = await serverCall(m, 'EchoServer');
  const done = one(s, 'server_ctx_done');
  assert.equal(done.ctx_err, 'cancelled');
  assert.equal(done.reset_by_client, true);
  assert.equal(one(s, 'server_send_err').index, 2);
  assert.equal(one(s, 'stream_end').ctx_err, 'cancelled');
  assert.equal(one(s, 'server_h2_close').rst_code, 8);
});

test('cancel-bidi: Echo cancelled after 2 echoes, not mistaken for EOF', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'cancel-bidi', '-n', '5', '--cancel-after', '2');
  assert.equal(one(ev, 'client_end').code, 1);
  assert.equal(only(ev, 'client_close_send').length, 0);
  const s = await serverCall(m, 'Echo');
  assert.equal(one(s, 'server_ctx_done').ctx_err, 'cancelled');
  assert.equal(one(s, 'stream_end').ctx_err, 'cancelled');
  assert.equal(one(s, 'stream_end').code, null);
});

test('timeout: deadline → grpc-timeout on the wire, status 4', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'timeout', '-n', '10', '--delay-ms', '200', '--timeout-ms', '500');
  const end = one(ev, 'client_end');
  assert.equal(end.code, 4);
  assert.equal(end.status, 'DEADLINE_EXCEEDED');
  assert.ok(end.recv_count >= 2 && end.recv_count <= 3, `recv_count ${end.recv_count}`);
  const s = await serverCall(m, 'EchoServer');
  assert.match(s[0].grpc_timeout, /^\d+m$/);
  assert.ok(s[0].timeout_ms > 300 && s[0].timeout_ms <= 500, `timeout_ms ${s[0].timeout_ms}`);
  assert.equal(one(s, 'server_ctx_done').ctx_err, 'deadline exceeded');
});

test('pingpong with a deadline: unary status 4', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'pingpong', '--msg', 'slow,delay:2000', '--timeout-ms', '200');
  assert.equal(one(ev, 'client_end').code, 4);
  const s = await serverCall(m, 'PingPong');
  assert.equal(one(s, 'server_ctx_done').ctx_err, 'deadline exceeded');
});

test('servererr: status 13 with the handler text, after the responses', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'servererr', '-n', '2', '--delay-ms', '5');
  const end = one(ev, 'client_end');
  assert.equal(end.code, 13);
  assert.equal(end.details, 'oracle handler failure');
  assert.equal(end.recv_count, 2);
  const s = await serverCall(m, 'EchoServer');
  assert.equal(one(s, 'stream_end').code, 13);
});

test('bizerr: status 13 with biz-status / biz-message trailers', async () => {
  const ev = await client(addr, '--mode', 'bizerr', '-n', '2', '--delay-ms', '5');
  const end = one(ev, 'client_end');
  assert.equal(end.code, 13);
  assert.equal(end.details, 'oracle biz failure');
  assert.deepEqual(end.trailer, { 'biz-status': '4001', 'biz-message': 'oracle biz failure' });
  assert.deepEqual(one(ev, 'client_trailer').metadata, end.trailer);
});

test('metadata: request metadata (text and -bin), response header and trailer', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'metadata', '-n', '2', '--delay-ms', '5', '--meta', 'x-one=1', '--meta', 'x-two-bin=AAEC/w==', '--meta', 'X-Upper=v');
  const end = one(ev, 'client_end');
  assert.equal(end.code, 0);
  assert.equal(end.header['oracle-header'], 'hv1');
  assert.deepEqual(end.trailer, { 'oracle-trailer': 'tv1' });
  assert.equal(one(ev, 'client_header').metadata['oracle-header'], 'hv1');
  const s = await serverCall(m, 'EchoServer');
  assert.equal(s[0].metadata['x-one'], '1');
  assert.equal(s[0].metadata['x-two-bin'], 'AAEC/w==');
  assert.equal(s[0].metadata['x-upper'], 'v');
});

test('multi: three concurrent streams on one connection', async () => {
  const m = server.mark();
  const ev = await client(addr, '--mode', 'multi', '--streams', '3', '-n', '2', '--delay-ms', '5');
  const ends = only(ev, 'client_end');
  assert.deepEqual(ends.map((e) => e.stream_index).sort(), [0, 1, 2]);
  assert.ok(ends.every((e) => e.code === 0 && e.recv_count === 2));
  const calls = [];
  for (let i = 0; i < 3; i++) calls.push(await server.waitFor((e) => e.event === 'server_call' && !calls.includes(e), m, 'server_call'));
  assert.deepEqual(calls.map((c) => c.stream_id).sort(), [1, 3, 5]);
});

test('unknown method: UNIMPLEMENTED', async () => {
  const ev = await client(addr, '--mode', 'server', '--service', 'other.TestService');
  assert.equal(one(ev, 'client_end').code, 12);
});

test('wire events: content-type, te, grpc-timeout, response content-type', async () => {
  const ev = await client(addr, '--mode', 'pingpong', '--timeout-ms', '5000', '--wire');
  const req = one(ev, 'client_h2_request').headers;
  assert.equal(req['content-type'], 'application/grpc');
  assert.equal(req.te, 'trailers');
  assert.equal(req[':path'], '/echo.TestService/PingPong');
  assert.match(req['grpc-timeout'], /^\d+m$/);
  assert.equal(one(ev, 'client_h2_response').headers['content-type'], 'application/grpc+proto');
  assert.equal(one(ev, 'client_h2_trailers').headers['grpc-status'], '0');
  assert.equal(ev[ev.length - 1].event, 'client_end');
});

/** Frames of one client run through h2frames.js. */
async function framesOf(...args) {
  const proxy = start('h2frames.js', ['--listen', '127.0.0.1:0', '--target', addr]);
  try {
    const paddr = (await proxy.waitFor((e) => e.event === 'proxy_listening', 0, 'proxy_listening')).addr;
    await client(paddr, ...args);
    await proxy.waitFor((e) => e.event === 'conn_close', 0, 'conn_close');
    return proxy.lines.filter((e) => e.event === 'frame' && e.stream_id === 1);
  } finally {
    proxy.child.stdin.end();
    await proxy.done;
  }
}

const c2s = (frames) => frames.filter((f) => f.dir === 'c2s').map((f) => (f.type === 'RST_STREAM' ? `RST_STREAM(${f.error_code})` : f.flags.includes('END_STREAM') ? `${f.type}+END_STREAM` : f.type));

test('cancel on the wire: rst-only sends RST_STREAM(CANCEL) without END_STREAM', async () => {
  const frames = await framesOf('--mode', 'cancel-bidi', '-n', '5', '--cancel-after', '2');
  const seq = c2s(frames);
  assert.equal(seq[seq.length - 1], 'RST_STREAM(CANCEL)');
  assert.ok(!seq.some((s) => s.endsWith('END_STREAM')), seq.join(' '));
});

test('cancel on the wire: half-close-first sends END_STREAM, then RST_STREAM(CANCEL)', async () => {
  const frames = await framesOf('--mode', 'cancel-bidi', '-n', '5', '--cancel-after', '2', '--cancel-wire', 'half-close-first');
  const seq = c2s(frames);
  assert.deepEqual(seq.slice(-2), ['DATA+END_STREAM', 'RST_STREAM(CANCEL)']);
});

test("cancel on the wire: node (unchanged) ends with RST_STREAM(CANCEL), END_STREAM only right before it", async () => {
  const frames = await framesOf('--mode', 'cancel-bidi', '-n', '5', '--cancel-after', '2', '--cancel-wire', 'node');
  const seq = c2s(frames);
  assert.equal(seq[seq.length - 1], 'RST_STREAM(CANCEL)');
  assert.ok(seq.slice(0, -2).every((x) => !x.endsWith('END_STREAM')), seq.join(' '));
});

test('cancel on the wire: server streaming is already half-closed, the cancel is RST_STREAM alone', async () => {
  const frames = await framesOf('--mode', 'cancel', '-n', '10', '--delay-ms', '50', '--cancel-after', '2');
  assert.deepEqual(c2s(frames), ['HEADERS', 'DATA+END_STREAM', 'RST_STREAM(CANCEL)']);
});

test('gRPC framing on the wire: bare Thrift struct for streams, args wrapper for PingPong', async () => {
  const stream = await framesOf('--mode', 'server', '-n', '1', '--msg', 'hello-0');
  const req = stream.find((f) => f.dir === 'c2s' && f.grpc);
  // Request{1: "hello-0,count:1,delay:200"}: 0b 0001 <len> <utf8> 00
  assert.equal(req.grpc[0].compressed, 0);
  assert.equal(req.grpc[0].hex, '0b0001' + '00000019' + Buffer.from('hello-0,count:1,delay:200').toString('hex') + '00');
  const unary = await framesOf('--mode', 'pingpong', '--msg', 'ping');
  assert.equal(unary.find((f) => f.dir === 'c2s' && f.grpc).grpc[0].hex, '0c0001' + '0b0001' + '00000004' + Buffer.from('ping').toString('hex') + '00' + '00');
  assert.equal(unary.find((f) => f.dir === 's2c' && f.grpc).grpc[0].hex, '0c0000' + '0b0001' + '00000004' + Buffer.from('ping').toString('hex') + '00' + '00');
});

test('compression: --compression on both sides compresses every message both ways, only as accepted', async () => {
  for (const algorithm of ['gzip', 'deflate']) {
    const zipped = start('peer.js', ['server', '--addr', '127.0.0.1:0', '--compression', algorithm]);
    try {
      const listening = await zipped.waitFor((e) => e.event === 'server_listening', 0, 'server_listening');
      assert.equal(listening.compression, algorithm);
      for (const [mode, requests, responses] of [['pingpong', 1, 1], ['server', 1, 3], ['client', 3, 1], ['bidi', 3, 3]]) {
        const ev = await client(listening.addr, '--mode', mode, '--delay-ms', '1', '--compression', algorithm, '--wire');
        assert.equal(one(ev, 'client_end').code, 0);
        assert.equal(one(ev, 'client_h2_request').headers['grpc-encoding'], algorithm);
        assert.equal(one(ev, 'client_h2_response').headers['grpc-encoding'], algorithm);
        const close = one(ev, 'client_h2_close');
        assert.deepEqual([close.request_messages, close.request_compressed, close.response_messages, close.response_compressed], [requests, requests, responses, responses], mode);
      }
      // A client that sends uncompressed still accepts both algorithms (grpc-js lists them), so it gets
      // compressed responses; the server's counts agree with the client's.
      const m = zipped.mark();
      const ev = await client(listening.addr, '--mode', 'server', '--delay-ms', '1', '--wire');
      assert.equal(one(ev, 'client_h2_request').headers['grpc-encoding'], undefined);
      assert.equal(one(ev, 'client_h2_close').response_compressed, 3);
      const close = await zipped.waitFor((e) => e.event === 'server_h2_close', m, 'server_h2_close');
      assert.deepEqual([close.request_messages, close.request_compressed, close.response_compressed], [1, 0, 3]);
    } finally {
      zipped.child.stdin.end();
      await zipped.done;
    }
  }
  // The default server never compresses.
  const ev = await client(addr, '--mode', 'server', '--delay-ms', '1', '--compression', 'gzip', '--wire');
  assert.equal(one(ev, 'client_h2_response').headers['grpc-encoding'], 'identity');
  assert.deepEqual([one(ev, 'client_h2_close').request_compressed, one(ev, 'client_h2_close').response_compressed], [1, 0]);
});

const curlHasHttp2 = (() => {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /\bHTTP2\b/.test(r.stdout);
})();

test('non-Node client (curl/nghttp2) with application/grpc+thrift', { skip: !curlHasHttp2 && 'curl without HTTP/2' }, async () => {
  const m = server.mark();
  const text = Buffer.from('curl-ping');
  const req = Buffer.concat([Buffer.from('0c00010b0001', 'hex'), Buffer.from([0, 0, 0, text.length]), text, Buffer.from('0000', 'hex')]);
  const body = Buffer.concat([Buffer.from([0]), Buffer.from([0, 0, 0, req.length]), req]);
  const r = await new Promise((resolve) => {
    const c = spawn('curl', ['-sS', '-v', '--http2-prior-knowledge', '-H', 'content-type: application/grpc+thrift', '-H', 'te: trailers',
      '--data-binary', '@-', `http://${addr}/echo.TestService/PingPong`]);
    const out = [];
    let err = '';
    c.stdout.on('data', (d) => out.push(d));
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (code) => resolve({ code, out: Buffer.concat(out), err }));
    c.stdin.end(body);
  });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /< grpc-status: 0/);
  assert.match(r.err, /< content-type: application\/grpc\+proto/);
  assert.equal(r.out.subarray(5).toString('hex'), '0c0000' + req.subarray(3).toString('hex'));
  const s = await serverCall(m, 'PingPong');
  assert.equal(s[0].content_type, 'application/grpc+thrift');
  assert.equal(s[0].message, 'curl-ping');
});
