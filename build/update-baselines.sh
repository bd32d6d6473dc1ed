#!/usr/bin/env bash
# Rewrites the golden baselines of generated code (tests/StreamX.CodeGen.Tests/Baselines) from the
# current generator and deletes stale ones. Review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMX_UPDATE_BASELINES=1 dotnet test tests/StreamX.CodeGen.Tests --filter "FullyQualifiedName~GoldenTests" -v quiet
git status --short tests/StreamX.CodeGen.Tests/Baselines
