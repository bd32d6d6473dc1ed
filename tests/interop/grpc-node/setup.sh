#!/usr/bin/env bash
# Prepares the Node.js gRPC interop peer in this folder; safe to run any number of times, also
# concurrently (test classes running in parallel): a lock file serializes the work.
#
#   tests/interop/grpc-node/setup.sh        (from any directory)
#
# 1. npm ci (exact versions from package-lock.json) when node_modules is missing or was installed
#    from a different lock file (sha256 stamp in node_modules/.streamx-lock.sha256).
# 2. thrift --gen js:node idl/examples/echo.thrift into gen/ when gen/ is missing or older than the
#    IDL (Debian thrift-compiler 0.17; build/ci.sh installs it).
# Prints nothing on stdout when there is nothing to do; exit code 0 means peer.js is ready to run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IDL="$(cd "$HERE/../../.." && pwd)/idl/examples/echo.thrift"
GEN="$HERE/gen"
STAMP="$HERE/node_modules/.streamx-lock.sha256"

die() { printf 'grpc-node/setup.sh: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js 20+ is needed)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"
command -v thrift >/dev/null 2>&1 || die "the Apache Thrift compiler 'thrift' is not on PATH (Debian: apt-get install thrift-compiler)"
[[ -f "$IDL" ]] || die "IDL not found: $IDL"

exec 9>"$HERE/.setup.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

lock_hash="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
if [[ ! -d "$HERE/node_modules/@grpc/grpc-js" || ! -d "$HERE/node_modules/thrift" || ! -f "$STAMP" || "$(cat "$STAMP")" != "$lock_hash" ]]; then
    echo "grpc-node/setup.sh: npm ci in $HERE" >&2
    if ! (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error 1>&2); then
        die "npm ci failed in $HERE (network or registry problem?); the gRPC interop peer cannot run"
    fi
    printf '%s\n' "$lock_hash" >"$STAMP"
fi

if [[ ! -f "$GEN/TestService.js" || ! -f "$GEN/echo_types.js" || "$IDL" -nt "$GEN/TestService.js" ]]; then
    echo "grpc-node/setup.sh: thrift --gen js:node $IDL" >&2
    tmp="$(mktemp -d "$HERE/.gen.XXXXXX")"
    chmod 755 "$tmp"
    # thrift prints its warnings on stdout; the one about the 'csharp' namespace line (no such
    # generator in 0.17) is expected and dropped, anything else goes to stderr.
    if ! out="$(thrift --gen js:node -out "$tmp" "$IDL" 2>&1)"; then
        printf '%s\n' "$out" >&2
        rm -rf "$tmp"
        die "thrift --gen js:node failed for $IDL"
    fi
    grep -v "No generator named 'csharp'" <<<"$out" >&2 || true
    rm -rf "$GEN"
    mv "$tmp" "$GEN"
fi
