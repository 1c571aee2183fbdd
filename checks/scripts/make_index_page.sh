#!/bin/sh
# make_index_page.sh MAKE_INDEX WORK
# make-index on a small out/ folder made here, with a repository beside it (--source): the
# header (mode, seeds, date, machine, the BLAS's core, the labs' counts), one verdict per section
# in the contents (gradient checks' counts; a lab that ran, ran in part, was skipped, failed),
# each lab's sentence from its README and the link to it, a table of more than 20 rows folded in
# <details> and a short one not, a figure captioned by its gnuplot title, the line that says why
# a lab was skipped and how to run it, and the same verdicts on standard output. Then a failing
# check, a lab run again after run.json, and a folder without run.json.
. "$(dirname "$0")/common.sh"
index=$1 work=$2
rm -rf "$work"
out=$work/out src=$work/src
mkdir -p "$out/gradcheck" "$out/lab-alpha" "$out/lab-beta" "$out/lab-gamma" "$out/lab-delta" "$out/complexity" \
  "$src/labs/lab-alpha" || exit 1
page=$out/index.html

blas='"blas": {"library": "OpenBLAS", "version": "0.3.21", "core": "Haswell", "core_chosen_by": "OpenBLAS"}'
check() {  # LABEL VERDICT: one check of one tensor
  printf '{"check": "%s", "shapes": "3x4", "method": "vjp", "verdict": "%s", "tensors": [{"tensor": "X", "checked": 12, "max_rel_error": 1e-9, "max_abs_error": 1e-10, "kinks": 0, "failed": 0, "verdict": "%s"}]}' "$1" "$2" "$2"
}
report() {  # VERDICT of the tanh check
  { printf '{"scheme": "central", "step": 1e-05, "seed": 1, %s, "tolerance": {"atol": 1e-08, "rtol": 1e-06}, "checks": [' "$blas"
    check "affine [input]" PASS; printf ', '; check "affine [weights]" PASS; printf ', '; check "tanh [input]" "$1"
    printf ']}\n'; } >"$out/gradcheck/report.json"
}
report PASS
printf '{"lab": "lab-alpha", "mode": "quick", "seed": 1, "seeds": 1, %s}\n' "$blas" >"$out/lab-alpha/summary.json"
printf '{"lab": "lab-gamma", "mode": "quick", "seed": 1, "seeds": 1, %s}\n' "$blas" >"$out/lab-gamma/summary.json"
printf '{"lab": "lab-delta", "mode": "quick", "seed": 1, "seeds": 1, %s}\n' "$blas" >"$out/lab-delta/summary.json"
cat >"$out/lab-beta/status.json" <<'JSON'
{"lab": "lab-beta", "mode": "quick", "status": "skipped", "skipped": "no MNIST",
 "reason": "downloads are off: GRADLAB_NO_DOWNLOAD is set", "how": "pass --data DIR or set GRADLAB_DATA",
 "needs": "a folder with MNIST's four files"}
JSON
cat >"$out/lab-gamma/status.json" <<'JSON'
{"lab": "lab-gamma", "mode": "quick", "status": "partial", "skipped": "no MNIST", "reason": "offline",
 "how": "pass --data DIR or set GRADLAB_DATA", "ran": "part 1 (the gradients)", "not_run": "part 2 (training)"}
JSON
printf '{\n  "mode": "quick",\n  "date": "2024-05-01 12:00 UTC",\n  "labs": {"lab-alpha": 0, "lab-beta": 0, "lab-delta": 1, "lab-gamma": 0}\n}\n' \
  >"$out/run.json"
{ echo 'step,loss'; i=1; while [ $i -le 25 ]; do echo "$i,0.$i"; i=$((i + 1)); done; } >"$out/lab-alpha/table-long.csv"
echo 'A long table' >"$out/lab-alpha/table-long.csv.title"
printf 'quantity,report,ours,note\naccuracy,90%%,91%%,\n' >"$out/lab-alpha/comparison.csv"
echo 'Report vs ours' >"$out/lab-alpha/comparison.csv.title"
printf '\211PNG\r\n\032\n' >"$out/lab-alpha/curves.png"  # make-index does not read the image
printf "# a figure\nset title 'Loss against epochs (it''s quick)' noenhanced\nplot x\n" >"$out/lab-alpha/curves.gp"
printf '\211PNG\r\n\032\n' >"$out/complexity/untitled.png"
cat >"$src/labs/lab-alpha/README.md" <<'EOF2'
# lab-alpha: report 9, something

Report 9 (Somewhere, 2024) trains **a network** and plots "Loss vs. Epochs" for each `rate`. This
lab does the same.
EOF2

"$index" "$out" --source "$src" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "make-index failed"; }
has() { grep -qF -- "$1" "$page" || fail "index.html lacks: $1"; }
# The header.
has '<tr><th>mode</th><td>quick</td></tr>'
has '<tr><th>seeds</th><td>1</td></tr>'
has '<tr><th>date</th><td>2024-05-01 12:00 UTC (the end of ./workbench run)</td></tr>'
grep -qE '<tr><th>machine</th><td>[^<]*[0-9]+ cores?</td></tr>' "$page" || fail "the header does not give the machine's cores"
has '<tr><th>BLAS</th><td>OpenBLAS 0.3.21, core Haswell (chosen by OpenBLAS)</td></tr>'
has '<tr><th>labs</th><td>4: 1 ran, 1 ran in part, 1 skipped, 1 failed</td></tr>'
has '<p class="skip-line">2 of 4 labs skipped (lab-gamma in part): no MNIST; pass --data DIR or set GRADLAB_DATA</p>'
# The contents, one verdict per section, in order: the gradient checks, the labs, the rest.
has '<li><a href="#gradcheck">gradcheck</a>: <span class="pass">2 ops, 3 checks, all PASS</span></li>'
has '<li><a href="#lab-alpha">lab-alpha</a>: <span class="pass">ran (quick)</span></li>'
has '<li><a href="#lab-beta">lab-beta</a>: <span class="skipped">skipped: no MNIST (quick)</span></li>'
has '<li><a href="#lab-delta">lab-delta</a>: <span class="fail">failed (exit 1) (quick)</span></li>'
has '<li><a href="#lab-gamma">lab-gamma</a>: <span class="partial">ran in part (quick): part 1 (the gradients) ran; part 2 (training) skipped: no MNIST</span></li>'
has '<li><a href="#complexity">complexity</a>: <span class="info">0 tables, 1 figure</span></li>'
order=$(grep -o '<li><a href="#[a-z-]*"' "$page" | tr -d '\n')
[ "$order" = '<li><a href="#gradcheck"<li><a href="#lab-alpha"<li><a href="#lab-beta"<li><a href="#lab-delta"<li><a href="#lab-gamma"<li><a href="#complexity"' ] \
  || fail "the contents are not in order: $order"
has '<p class="verdict pass">2 ops, 3 checks, all PASS</p>'
# A lab: its sentence and README, its tables (the long one folded), its figure by its title.
has '<p class="about">Report 9 (Somewhere, 2024) trains a network and plots &quot;Loss vs. Epochs&quot; for each rate. (<a href="../src/labs/lab-alpha/README.md">labs/lab-alpha/README.md</a>)</p>'
has '<details><summary>A long table (25 rows)</summary>'
has '<h3>Report vs ours</h3>'
if grep -q '<summary>Report vs ours' "$page"; then fail "a table of one row is folded"; fi
has "<figcaption>Loss against epochs (it's quick) (<a href=\"lab-alpha/curves.gp\">gnuplot script</a>)</figcaption>"
has '<figcaption>untitled</figcaption>'
# A skipped lab: why, and how to run it; a lab that ran in part: what ran.
has '<p class="skip-line">Skipped: no MNIST (downloads are off: GRADLAB_NO_DOWNLOAD is set). To run it, pass --data DIR or set GRADLAB_DATA (DIR: a folder with MNIST'"'"'s four files): <code>GRADLAB_DATA=DIR ./workbench run</code>, or <code>build/bin/lab-beta --data DIR</code>.</p>'
has '<p class="skip-line">Part 2 (training) was skipped: no MNIST (offline); part 1 (the gradients) ran. To run all of it, pass --data DIR or set GRADLAB_DATA'
has '<p><a href="lab-beta/status.json">status.json</a></p>'
# The same verdicts on standard output: the closing summary of ./workbench run.
for line in 'gradcheck: 2 ops, 3 checks, all PASS' 'lab-beta: skipped: no MNIST (quick)' 'lab-delta: failed (exit 1) (quick)' \
            '2 of 4 labs skipped (lab-gamma in part): no MNIST; pass --data DIR or set GRADLAB_DATA'; do
  grep -qxF -- "$line" "$work/stdout" || { cat "$work/stdout"; fail "the summary lacks: $line"; }
done

# A failing check is counted and named; the section says FAIL.
report FAIL
"$index" "$out" --source "$src" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "make-index failed"; }
has '<li><a href="#gradcheck">gradcheck</a>: <span class="fail">2 ops, 3 checks, 1 FAIL (tanh)</span></li>'
grep -qxF 'gradcheck: 2 ops, 3 checks, 1 FAIL (tanh)' "$work/stdout" || fail "the summary does not count the FAIL"

# A lab run again after run.json was written: run.json's exit status is no longer its last.
touch -d '2000-01-01 00:00' "$out/run.json"
"$index" "$out" --source "$src" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "make-index failed"; }
has '<li><a href="#lab-delta">lab-delta</a>: <span class="pass">ran (quick)</span></li>'

# Without run.json (make-index on a folder of results alone): the modes and seeds come from the
# summaries, the date from the newest report, and no exit status is known.
rm "$out/run.json"
printf '{"lab": "lab-delta", "mode": "full", "seed": 5, "seeds": 3}\n' >"$out/lab-delta/summary.json"
"$index" "$out" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "make-index without run.json failed"; }
has '<tr><th>mode</th><td>full (lab-delta); quick (lab-alpha, lab-beta, lab-gamma)</td></tr>'
has '<tr><th>seeds</th><td>1 (gradcheck, lab-alpha, lab-gamma); 5-7 (3 seeds) (lab-delta)</td></tr>'
grep -qE '<tr><th>date</th><td>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC \(the newest report\)</td></tr>' "$page" \
  || fail "without run.json the date is not the newest report's"
has '<li><a href="#lab-delta">lab-delta</a>: <span class="pass">ran (full)</span></li>'
if grep -q 'class="about"' "$page"; then fail "a README sentence without --source"; fi

# --source must be the repository.
"$index" "$out" --source "$work/no-such-repository" >/dev/null 2>"$work/stderr"
[ $? -eq 2 ] && grep -q -- '--source' "$work/stderr" || fail "a --source without labs/ is not refused with exit 2"
echo "ok"
