#!/bin/sh
# quick_mark.sh LAB_DISK MAKE_INDEX WORK
# A quick run of lab-disk (2 seeds): every figure's gnuplot script titles it with a second line,
# "quick mode: not comparable with the report", and every row of comparison.csv that sets a
# number or claim of the report against ours says so first in its note. Its rows give
# "ours - report" judged by one sd, and make-index's page highlights exactly the rows beyond it.
. "$(dirname "$0")/common.sh"
lab=$1 index=$2 work=$3
mark='quick mode: not comparable with the report'
rm -rf "$work"
mkdir -p "$work" || exit 1
out=$work/out/lab-disk
"$lab" --quick --seeds 2 --threads 1 --out "$out" >"$work/stdout" 2>&1 || { cat "$work/stdout"; fail "lab-disk --quick failed"; }

# Every figure.
scripts=0
for gp in "$out"/*.gp; do
  [ -e "$gp" ] || fail "no gnuplot script in $out"
  scripts=$((scripts + 1))
  grep -q "^set title \".*\\\\n$mark\" noenhanced\$" "$gp" || { grep '^set title' "$gp"; fail "$(basename "$gp") lacks the quick mark under its title"; }
done
[ "$scripts" -ge 4 ] || fail "expected the curves and boundaries of 2 networks, found $scripts scripts"

# Every claim row, and the sd column.
csv=$out/comparison.csv
[ "$(head -n 1 "$csv")" = 'quantity,report,ours,ours - report,note' ] || fail "comparison.csv's header: $(head -n 1 "$csv")"
rows=0 beyond=0
while IFS= read -r row; do
  rows=$((rows + 1))
  case $row in *",$mark"*) ;; *) fail "a claim row without the quick mark: $row" ;; esac
  case $row in *",beyond 1 sd: "*) beyond=$((beyond + 1)) ;; *",within 1 sd: "*) ;; *) fail "a row without its sd judgement: $row" ;; esac
done <<ROWS
$(tail -n +2 "$csv")
ROWS
[ "$rows" -eq 4 ] || fail "expected 4 rows (train and test of 2 networks), found $rows"
grep -qF "$mark" "$work/stdout" || fail "the printed table lacks the quick mark"

# The page: the rows beyond one sd are highlighted, and the note says what the highlight and
# "no sd" mean.
"$index" "$work/out" >/dev/null 2>&1 || fail "make-index failed"
highlighted=$(grep -c '<tr class="beyond-sd">' "$work/out/index.html")
[ "$highlighted" -eq "$beyond" ] || fail "$beyond rows beyond one sd in comparison.csv, $highlighted highlighted on the page"
grep -q 'Highlighted: ours differs from the report by more than one standard deviation' "$work/out/index.html" \
  || fail "the page does not say what the highlight means"

echo "ok: $scripts figures and $rows rows marked, $beyond of $rows beyond one sd and highlighted"
