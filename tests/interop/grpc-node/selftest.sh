#!/usr/bin/env bash
# Self-test of the Node.js gRPC interop peer: setup, then every client mode against the Node server,
# the cancel wire behaviour through h2frames.js and a curl (nghttp2) client. About 10 s.
#
#   tests/interop/grpc-node/selftest.sh        (from any directory)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/setup.sh"
cd "$HERE"
exec node --test selftest.test.js
