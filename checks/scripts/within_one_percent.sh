#!/bin/sh
# within_one_percent.sh LAB_MNIST_LINEAR MAKE_TINY_MNIST WORK
# Report 002's "no model needed more than two updates to come within 1% of its maximal
# accuracy", whose footnote counts evaluations ("5 times per epoch, so a value of 8 is within
# epoch 2"): a quick run on a tiny MNIST-shaped set gives, per model in grid.csv, the evaluations
# to within 1 point and to within 1% of the best (0.99 best: never fewer), and the epoch each
# falls in, ceil(k / 5); the comparison table shows both units and both thresholds.
. "$(dirname "$0")/common.sh"
lab=$1 make_tiny=$2 work=$3
rm -rf "$work"
"$make_tiny" "$work/mnist" --raw --train 600 --test 200 >/dev/null || fail "make_tiny_mnist failed"
out=$work/out
"$lab" --quick --part linear --data "$work/mnist" --out "$out" --train-size 400 --validation-size 100 --test-size 100 \
  --threads 1 >"$work/stdout" 2>&1 || { cat "$work/stdout"; fail "lab-mnist-linear --quick failed"; }

# grid.csv: the columns by name, then every row.
awk -F, '
  NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i
            split("evaluations_to_within_1 evaluations_to_within_1_relative epoch_within_1 epoch_within_1_relative", need, " ")
            for (k in need) if (!(need[k] in col)) { print "grid.csv lacks the column " need[k]; bad = 1; exit }
            next }
  { a = $col["evaluations_to_within_1"]; r = $col["evaluations_to_within_1_relative"]
    ea = $col["epoch_within_1"]; er = $col["epoch_within_1_relative"]
    if (a < 1 || r < a) { print "row " NR - 1 ": evaluations " a " (1 point), " r " (1% of the best): the relative threshold is the stricter"; bad = 1 }
    if (ea != int((a + 4) / 5) || er != int((r + 4) / 5)) { print "row " NR - 1 ": evaluations " a ", " r " are not in epochs " ea ", " er; bad = 1 }
    ++rows }
  END { if (!bad && rows != 8) { print "grid.csv: expected 8 models, found " rows; bad = 1 }; exit bad }' "$out/grid.csv" \
  || fail "grid.csv's counts to within 1%"

# The table: both units for both thresholds, the report's bound in epochs.
for quantity in 'linear: evaluations to within 1 point of the best, no momentum / momentum' \
                'linear: epochs to within 1 point of the best, no momentum / momentum' \
                'linear: evaluations to within 1% of the best (0.99 best), no momentum / momentum' \
                'linear: epochs to within 1% of the best (0.99 best), no momentum / momentum'; do
  grep -qF "\"$quantity\"," "$out/comparison.csv" || fail "comparison.csv lacks the row: $quantity"
done
grep -F 'linear: epochs to within 1 point' "$out/comparison.csv" | grep -qF "<= 2 for every model ('a value of 8 is within epoch 2')" \
  || fail "the epochs row does not give the report's bound and footnote"
grep -F 'linear: epochs to within 1 point' "$out/comparison.csv" | grep -qE 'mean [0-9.]+, max [0-9]+; [0-9]+ of 4 within 2 epochs / mean' \
  || fail "the epochs row does not give the mean, the max and the models within 2 epochs"
grep -q "^set title .*evaluations needed to come within 1 point" "$out/grid-evaluations-to-within-1.gp" \
  && grep -qF "(10) with lines title 'report: within epoch 2 (evaluation 10)'" "$out/grid-evaluations-to-within-1.gp" \
  || fail "the figure does not draw the report's bound at evaluation 10 (the end of epoch 2)"
echo "ok"
