'use strict';
// Thrift Binary (de)serialization of the echo.thrift structs for gRPC message bodies, using the
// code `thrift --gen js:node` wrote into gen/ (setup.sh) and the npm `thrift` package's
// TBinaryProtocol over its in-memory TBufferedTransport.
//
// Streaming methods carry the bare Request / Response struct. Unary PingPong carries Kitex's
// wrappers: TestService_PingPong_args {1: Request req} and TestService_PingPong_result
// {0: Response success}. The generator does not export those two classes (they are module-local
// in gen/TestService.js), so the file is loaded here with two export lines appended; the
// generated code itself is used unchanged.

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const thrift = require('thrift');

const GEN_DIR = process.env.STREAMX_GRPC_NODE_GEN || path.join(__dirname, 'gen');

function loadGenerated() {
  const typesFile = path.join(GEN_DIR, 'echo_types.js');
  const serviceFile = path.join(GEN_DIR, 'TestService.js');
  if (!fs.existsSync(typesFile) || !fs.existsSync(serviceFile)) {
    throw new Error(`generated Thrift code not found in ${GEN_DIR}; run setup.sh first`);
  }
  const types = require(typesFile);
  const wrappers = ['TestService_PingPong_args', 'TestService_PingPong_result'];
  const source = fs.readFileSync(serviceFile, 'utf8') + '\n;' + wrappers.map((n) => `exports.${n} = ${n};`).join('\n');
  const mod = { exports: {} };
  const fn = vm.runInThisContext(Module.wrap(source), { filename: serviceFile });
  // Its require('./echo_types') resolves to the module loaded above, so Request/Response are shared.
  fn.call(mod.exports, mod.exports, Module.createRequire(serviceFile), mod, serviceFile, GEN_DIR);
  return { Request: types.Request, Response: types.Response, PingPongArgs: mod.exports.TestService_PingPong_args, PingPongResult: mod.exports.TestService_PingPong_result };
}

const T = loadGenerated();

/** Thrift Binary bytes of a generated struct instance. */
function encode(struct) {
  let out = null;
  const transport = new thrift.TBufferedTransport(undefined, (buf) => { out = buf; });
  const protocol = new thrift.TBinaryProtocol(transport);
  struct.write(protocol);
  protocol.flush();
  return out || Buffer.alloc(0);
}

/** Reads one struct of type Type from buf; the whole buffer must be consumed. */
function decode(Type, buf) {
  let result = null;
  const receive = thrift.TBufferedTransport.receiver((transport) => {
    const struct = new Type();
    struct.read(new thrift.TBinaryProtocol(transport));
    const { readIndex, writeIndex } = transport.borrow();
    if (readIndex !== writeIndex) {
      throw new Error(`${writeIndex - readIndex} trailing byte(s) after the Thrift struct`);
    }
    result = struct;
  });
  try {
    receive(Buffer.from(buf));
  } catch (e) {
    if (e instanceof thrift.InputBufferUnderrunError) {
      throw new Error(`truncated Thrift struct (${buf.length} byte(s))`);
    }
    throw e;
  }
  return result;
}

// grpc-js serializers: plain objects {message} in, plain objects {message} out.
const streaming = {
  requestSerialize: (v) => encode(new T.Request({ message: v.message })),
  requestDeserialize: (b) => ({ message: decode(T.Request, b).message }),
  responseSerialize: (v) => encode(new T.Response({ message: v.message })),
  responseDeserialize: (b) => ({ message: decode(T.Response, b).message }),
};

const unary = {
  requestSerialize: (v) => encode(new T.PingPongArgs({ req: new T.Request({ message: v.message }) })),
  requestDeserialize: (b) => {
    const args = decode(T.PingPongArgs, b);
    return { message: args.req ? args.req.message : null, missing: !args.req };
  },
  responseSerialize: (v) => encode(new T.PingPongResult({ success: new T.Response({ message: v.message }) })),
  responseDeserialize: (b) => {
    const result = decode(T.PingPongResult, b);
    return { message: result.success ? result.success.message : null, missing: !result.success };
  },
};

module.exports = { encode, decode, types: T, streaming, unary, GEN_DIR };
