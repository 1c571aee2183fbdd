#!/bin/sh
# sweep_runner.sh LAB_MOMENTUM MAKE_TINY_MNIST ROBUST_FILES WORK
# The labs' runner (gradlab/programs/sweep.hpp) on lab-momentum's grid of 7 cells, on a tiny
# MNIST-shaped set, 2 epochs:
#   - --jobs 2 and --cell K (each into a folder of its own, with a space in its name) followed by
#     --merge give the same result files as --jobs 1: the tables, figures and summary.json byte
#     for byte, each cell's history and cell.json with their timing aside;
#   - a cell that fails (its history cannot be written) is named with its error, a cell that
#     never finished (no cell.json, as SIGKILL leaves it) is named as such, the other cells are
#     merged, and the exit status is 1.
. "$(dirname "$0")/common.sh"
lab=$1 tiny=$2 files=$3 work=$4
rm -rf "$work"
mkdir -p "$work" || exit 1
"$tiny" "$work/data" >/dev/null || fail "make_tiny_mnist"
run() { "$lab" --quick --epochs 2 --data "$work/data" "$@"; }

run --out "$work/jobs 1" --jobs 1 >"$work/jobs1.log" || fail "--jobs 1 failed: $(tail -3 "$work/jobs1.log")"
run --out "$work/jobs 2" --jobs 2 >"$work/jobs2.log" || fail "--jobs 2 failed: $(tail -3 "$work/jobs2.log")"
grep -q '7 cells, 2 at a time' "$work/jobs2.log" || fail "--jobs 2 did not run the cells two at a time"
cells=$(run --list-cells | wc -l)
[ "$cells" -eq 7 ] || fail "--list-cells printed $cells lines, not 7"
k=0
while [ "$k" -lt 7 ]; do
  run --out "$work/cell $k" --cell "$k" >/dev/null || fail "--cell $k failed"
  k=$((k + 1))
done
run --out "$work/merged" --merge "$work"/cell\ * >"$work/merge.log" || fail "--merge failed: $(tail -3 "$work/merge.log")"

for other in "jobs 2" merged; do
  diff -r -q -x cells "$work/jobs 1" "$work/$other" || fail "'$other' differs from --jobs 1"
  for cell in "$work/jobs 1"/cells/*; do
    id=$(basename "$cell")
    "$files" compare-results "$cell" "$work/$other/cells/$id" >/dev/null || fail "cell $id differs in '$other'"
  done
done
ls "$work/jobs 1"/*.png >/dev/null 2>&1 || ls "$work/jobs 1"/*.gp >/dev/null || fail "no figures written"
test -s "$work/jobs 1/comparison.csv" || fail "no comparison.csv"

# A failing cell and a killed one.
failing=lr0.001-m0.1-seed-1 killed=lr0.01-m0.9-seed-1
mkdir -p "$work/faults/cells/$failing/history.csv/in-the-way" || exit 1
code=0
run --out "$work/faults" --jobs 2 >"$work/faults.log" 2>&1 || code=$?
[ "$code" -eq 1 ] || fail "a grid with a failing cell exited $code, not 1"
grep -q "$failing: failed: " "$work/faults.log" || fail "the failing cell is not named: $(tail -5 "$work/faults.log")"
rm "$work/faults/cells/$killed/cell.json" || exit 1
code=0
run --out "$work/faults merged" --merge "$work/faults" >"$work/faults-merge.log" 2>&1 || code=$?
[ "$code" -eq 1 ] || fail "a merge missing a cell exited $code, not 1"
grep -q "$killed: did not finish" "$work/faults-merge.log" || fail "the killed cell is not named: $(tail -5 "$work/faults-merge.log")"
grep -q "$failing: failed: " "$work/faults-merge.log" || fail "the merge does not name the failed cell"
grep -q "2 of 7 cells not merged" "$work/faults-merge.log" || fail "the merge does not count the cells it left out"
m="$work/faults merged"
test -s "$m/comparison.csv" || fail "the other cells were not merged"
test -s "$m/accuracy-loss-deep.gp" || fail "the figure of a finished cell is missing"
test -e "$m/accuracy-loss-lr0.01-m0.9.gp" && fail "a figure of the killed cell was drawn"
test -e "$m/accuracy-loss-lr0.001-m0.1.gp" && fail "a figure of the failed cell was drawn"
grep -q "$killed" "$m/summary.json" || fail "summary.json does not list the cells left out"
echo "the runner: --jobs 2 and --cell + --merge equal --jobs 1; a failed and a killed cell named, the rest merged"
