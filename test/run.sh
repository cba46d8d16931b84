#!/usr/bin/env bash
# npm test: the compiled tests in two passes, sharing one lift cache.
#  1. Files that only compute (the engine, the lifter, the real trees, review) run two at a
#     time: each is one busy thread, and node:test's default on a 2-core machine is one file.
#  2. Files that start and time a process, a language server, an editor or a browser (cli,
#     fuzz budgets, lsp pacing, the run service, code-server) run one at a time, as before.
# Both passes always run; the exit status is the first pass's failure, else the second's.
set -uo pipefail
cd "$(dirname "$0")/.."
export RACELENS_LIFT_CACHE="${RACELENS_LIFT_CACHE:-$(mktemp -d -t racelens-test-cache.XXXXXX)}"
export RACELENS_CHECK_CLASSES=1
ALONE="cli fuzz lsp runs vscode"
shared=()
alone=()
for d in test/out/*/; do
  name=$(basename "$d")
  [ "$name" = bench ] && continue
  case " $ALONE " in
    *" $name "*) alone+=("$d") ;;
    *) shared+=("$d") ;;
  esac
done
# a test file at the top of test/out (none today) would belong to neither list: say so rather than skip it
for f in test/out/*.test.js; do
  [ -e "$f" ] && { echo "test/run.sh: $f is outside every test folder; put it in one" >&2; exit 2; }
done
reporters=(--test-reporter=spec --test-reporter-destination=stdout --test-reporter=./test/out/skip-summary.js --test-reporter-destination=stdout)
node --test --test-concurrency="${RACELENS_TEST_CONCURRENCY:-2}" "${reporters[@]}" "${shared[@]}"
first=$?
node --test --test-concurrency=1 "${reporters[@]}" "${alone[@]}"
second=$?
[ "$first" -ne 0 ] && exit "$first"
exit "$second"
