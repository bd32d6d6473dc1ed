#!/usr/bin/env bash
# StreamX CI: prerequisites, restore, build (warnings are errors), every test project, one summary.
#
#   bash build/ci.sh            (from any directory; .ci/run calls this)
#
# The very last line is always `N passed, N failed, N skipped`, also when the build or a prerequisite
# fails (then `0 passed, 1 failed, 0 skipped` after a message saying what went wrong).
# Exit code: 0 only when the build succeeded, at least one test ran and none failed.
#
# Environment knobs (all optional):
#   STREAMX_CI_HANG_TIMEOUT   per-test hang limit passed to `dotnet test --blame-hang-timeout` (default 10m)
#   STREAMX_CI_PROJECT_TIMEOUT wall-clock limit for one test project's `dotnet test` (default 40m)
#
# Exported for tests: STREAMX_PYTHON, the interpreter that sees Debian's python3-thrift. It is
# /usr/bin/python3, which need not be the `python3` first on PATH (pyenv's is on our machines).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

RESULTS_DIR="$REPO_ROOT/artifacts/test-results"
LOG_DIR="$REPO_ROOT/artifacts/ci-logs"
HANG_TIMEOUT="${STREAMX_CI_HANG_TIMEOUT:-10m}"
PROJECT_TIMEOUT="${STREAMX_CI_PROJECT_TIMEOUT:-40m}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
export NUGET_XMLDOC_MODE=skip
export STREAMX_PYTHON=/usr/bin/python3

SUMMARY_PRINTED=0

section() { printf '\n==> %s\n' "$*"; }

print_summary() { # passed failed skipped
    SUMMARY_PRINTED=1
    printf '%s passed, %s failed, %s skipped\n' "$1" "$2" "$3"
}

# A failure before any test ran: say what, then the summary line CI reads, then exit 1.
fail_early() {
    printf '\nci.sh: FAILED: %s\n' "$*" >&2
    print_summary 0 1 0
    exit 1
}

# Anything set -e trips over outside the steps above still ends with a summary line.
on_exit() {
    local rc=$?
    if [[ $rc -ne 0 && $SUMMARY_PRINTED -eq 0 ]]; then
        printf '\nci.sh: FAILED: unexpected error (exit code %s) near line %s\n' "$rc" "${FAILED_LINE:-?}" >&2
        print_summary 0 1 0
    fi
}
trap 'FAILED_LINE=$LINENO' ERR
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------
# 1. Prerequisites
# ---------------------------------------------------------------------------------------------
section "Prerequisites"

command -v dotnet >/dev/null 2>&1 || fail_early "the .NET SDK (dotnet) is not on PATH; install the SDK that global.json asks for"

# The build compiles the Thrift grammar with ANTLR (Java) and fetches the pinned tool jar with npm
# (build/Antlr.targets); fail here with a clear message instead of deep inside MSBuild.
java -version >/dev/null 2>&1 || fail_early "Java 17+ is required by the build (ANTLR, see build/Antlr.targets) but 'java -version' failed; Debian: apt-get install openjdk-17-jre-headless"
npm --version >/dev/null 2>&1 || fail_early "npm is required by the build (npm ci in build/antlr fetches the pinned ANTLR jar) but 'npm --version' failed; install Node.js with npm"

# Interop tests talk to Apache Thrift peers from Debian: the compiler and the Python library.
thrift_missing() {
    ! command -v thrift >/dev/null 2>&1 || ! "$STREAMX_PYTHON" -c 'import thrift' >/dev/null 2>&1
}
if thrift_missing; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Debian packages thrift-compiler python3-thrift"
        mkdir -p "$LOG_DIR"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
               DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends thrift-compiler python3-thrift; } \
               >"$LOG_DIR/apt.log" 2>&1; then
            tail -n 20 "$LOG_DIR/apt.log" >&2 || true
            echo "ci.sh: WARNING: apt-get could not install thrift-compiler python3-thrift; interop tests will fail (log: $LOG_DIR/apt.log)" >&2
        fi
    else
        echo "ci.sh: WARNING: 'thrift' or the Python module 'thrift' ($STREAMX_PYTHON) is missing and this is not a root Debian shell;" >&2
        echo "ci.sh: WARNING: run 'sudo apt-get install thrift-compiler python3-thrift' or interop tests will fail" >&2
    fi
fi
if thrift_missing; then
    echo "thrift: MISSING"
else
    echo "thrift: $(thrift --version 2>&1), python: $("$STREAMX_PYTHON" -c 'import thrift, sys; print(sys.executable)')"
fi
echo "dotnet: $(dotnet --version), java: $(java -version 2>&1 | head -n 1), npm: $(npm --version)"

# The gRPC interop tests run a Node.js peer (tests/interop/grpc-node): npm ci of its pinned
# @grpc/grpc-js + thrift, and its Thrift code generated with the compiler above. setup.sh is
# idempotent (the tests call it too); running it here puts the one network step before the build.
GRPC_NODE_SETUP="$REPO_ROOT/tests/interop/grpc-node/setup.sh"
if [[ -f "$GRPC_NODE_SETUP" ]]; then
    mkdir -p "$LOG_DIR"
    if bash "$GRPC_NODE_SETUP" >"$LOG_DIR/grpc-node-setup.log" 2>&1; then
        echo "grpc-node peer: ready ($(node --version))"
    else
        tail -n 20 "$LOG_DIR/grpc-node-setup.log" >&2 || true
        echo "ci.sh: ERROR: tests/interop/grpc-node/setup.sh failed (npm ci or thrift --gen; log: $LOG_DIR/grpc-node-setup.log); the gRPC interop tests against the Node peer will fail" >&2
    fi
fi

# ---------------------------------------------------------------------------------------------
# 2. Restore and build
# ---------------------------------------------------------------------------------------------
section "Restore"
dotnet restore StreamX.sln --nologo -v quiet || fail_early "dotnet restore StreamX.sln failed (see above)"

section "Build (Release, warnings are errors)"
dotnet build StreamX.sln -c Release --no-restore --nologo -v minimal -clp:'Summary;ForceNoAlign' ||
    fail_early "dotnet build StreamX.sln -c Release failed (see the errors above); no tests were run"

# ---------------------------------------------------------------------------------------------
# 3. Tests, one project at a time (2 cores: projects in parallel would only fight for them)
# ---------------------------------------------------------------------------------------------
section "Tests"

# Test projects: tests/*/*.Tests.csproj plus any project under tests/ that says IsTestProject=true.
mapfile -t TEST_PROJECTS < <(
    {
        find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' -print 2>/dev/null
        find tests -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' -print0 2>/dev/null |
            xargs -0 -r grep -l -i '<IsTestProject>[[:space:]]*true[[:space:]]*</IsTestProject>' 2>/dev/null
    } | sed 's#^\./##' | LC_ALL=C sort -u
)
[[ ${#TEST_PROJECTS[@]} -gt 0 ]] || fail_early "no test projects found under tests/"

# --no-build needs every test project to be in the solution we just built.
SLN_PROJECTS="$(dotnet sln StreamX.sln list 2>/dev/null | tr '\\' '/')"
for proj in "${TEST_PROJECTS[@]}"; do
    if ! grep -qxF "$proj" <<<"$SLN_PROJECTS"; then
        echo "ci.sh: WARNING: $proj is not in StreamX.sln; building it separately (add it with dotnet sln add)" >&2
        dotnet build "$proj" -c Release --nologo -v minimal -clp:'Summary;ForceNoAlign' ||
            fail_early "dotnet build $proj failed"
    fi
done

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR" "$LOG_DIR"

PROJECT_RESULTS=()   # "name|exit code|seconds"
for proj in "${TEST_PROJECTS[@]}"; do
    name="$(basename "$proj" .csproj)"
    printf '\n--- %s\n' "$name"
    start=$SECONDS
    set +e
    timeout --kill-after=60s "$PROJECT_TIMEOUT" \
        dotnet test "$proj" -c Release --no-build --nologo \
            --logger "trx;LogFileName=$name.trx" \
            --logger "console;verbosity=minimal" \
            --results-directory "$RESULTS_DIR" \
            --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none
    rc=$?
    set -e
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        echo "ci.sh: $name: dotnet test was stopped after $PROJECT_TIMEOUT" >&2
    fi
    PROJECT_RESULTS+=("$name|$rc|$((SECONDS - start))")
done

# ---------------------------------------------------------------------------------------------
# 4. Summary from the TRX files
# ---------------------------------------------------------------------------------------------
section "Summary"

PYTHON="$(command -v python3 || true)"
[[ -n "$PYTHON" ]] || PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || fail_early "python3 is needed to read the TRX files"

# Prints one line per project and the failed tests; writes "passed failed skipped" to $TOTALS_FILE.
# A project whose `dotnet test` failed while its TRX shows no failed test (crash, hang, timeout,
# no TRX at all) counts as one failure, so a broken run can never look green.
TOTALS_FILE="$LOG_DIR/totals.txt"
rm -f "$TOTALS_FILE"
set +e
"$PYTHON" - "$RESULTS_DIR" "$TOTALS_FILE" "${PROJECT_RESULTS[@]}" <<'PY'
import os, sys
import xml.etree.ElementTree as ET

results_dir, totals_file, projects = sys.argv[1], sys.argv[2], sys.argv[3:]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
total_passed = total_failed = total_skipped = 0
failed_tests = []

for entry in projects:
    name, rc, seconds = entry.split("|")
    rc = int(rc)
    trx = os.path.join(results_dir, name + ".trx")
    passed = failed = skipped = 0
    note = ""
    if os.path.exists(trx):
        try:
            root = ET.parse(trx).getroot()
            counters = root.find("t:ResultSummary/t:Counters", ns)
            c = {k: int(v) for k, v in (counters.attrib if counters is not None else {}).items() if v.isdigit()}
            passed = c.get("passed", 0)
            failed = sum(c.get(k, 0) for k in ("failed", "error", "timeout", "aborted"))
            # xunit's skipped tests are counted in total but neither executed nor notExecuted.
            skipped = max(c.get("total", 0) - passed - failed, c.get("notExecuted", 0), 0)
            for r in root.iterfind("t:Results/t:UnitTestResult", ns):
                if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
                    # The message and the first frames of the stack, so a CI log that keeps only the
                    # summary still says why (a flaky failure may never be seen again).
                    info = r.find("t:Output/t:ErrorInfo", ns)
                    why = []
                    if info is not None:
                        message = (info.findtext("t:Message", "", ns) or "").strip()
                        stack = (info.findtext("t:StackTrace", "", ns) or "").strip().splitlines()
                        why = [l.rstrip() for l in message.splitlines()[:12]] + [l.strip() for l in stack[:4]]
                    detail = "".join("\n      " + (l if len(l) <= 300 else l[:300] + " ...") for l in why)
                    failed_tests.append(f"{name}: {r.get('testName')}{detail}")
        except ET.ParseError as e:
            note = f"unreadable TRX ({e})"
    else:
        note = "no TRX file"
    if rc != 0 and failed == 0:
        failed = 1
        note = (note + "; " if note else "") + f"dotnet test exited {rc}: test host crashed, hung or timed out?"
        failed_tests.append(f"{name}: test run failed: {note}")
    elif not note and passed + failed + skipped == 0:
        note = "no tests"
    status = "FAIL" if failed else "ok"
    line = f"  {status:4} {name} - passed {passed}, failed {failed}, skipped {skipped} ({seconds} s)"
    print(line + (f" [{note}]" if note else ""))
    total_passed += passed
    total_failed += failed
    total_skipped += skipped

if failed_tests:
    print("\nFailed:")
    for t in failed_tests[:100]:
        print("  " + t)
    if len(failed_tests) > 100:
        print(f"  ... and {len(failed_tests) - 100} more")

with open(totals_file, "w") as f:
    f.write(f"{total_passed} {total_failed} {total_skipped}\n")
PY
py_rc=$?
set -e
[[ $py_rc -eq 0 && -s "$TOTALS_FILE" ]] || fail_early "could not read the TRX files in $RESULTS_DIR"

read -r PASSED FAILED SKIPPED <"$TOTALS_FILE"
echo "TRX files: $RESULTS_DIR"

# The README's main job, checked like a test: the echo demo must run every mode and show the
# cancel cascading to C with the path A -> B.
section "Echo demo (samples/EchoDemo)"
set +e
DEMO_OUT="$(timeout 300 dotnet run --project samples/EchoDemo -c Release --no-build 2>&1)"
demo_rc=$?
set -e
printf '%s\n' "$DEMO_OUT"
if [[ $demo_rc -eq 0 ]] && grep -qF '[canceled path: A -> B]' <<<"$DEMO_OUT"; then
    echo "  PASS EchoDemo - ran every mode and showed the cascade"
    PASSED=$((PASSED + 1))
else
    echo "  FAIL EchoDemo - exit code $demo_rc, or no '[canceled path: A -> B]' line"
    FAILED=$((FAILED + 1))
fi

status=0
if [[ $FAILED -gt 0 ]]; then
    echo "ci.sh: FAILED: $FAILED failing test(s)"
    status=1
elif [[ $((PASSED + FAILED)) -eq 0 ]]; then
    echo "ci.sh: FAILED: no test ran"
    status=1
fi
print_summary "$PASSED" "$FAILED" "$SKIPPED"
exit $status
