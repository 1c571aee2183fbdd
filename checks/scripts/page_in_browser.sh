#!/bin/sh
# page_in_browser.sh CHECK_PAGE MAKE_INDEX WORK
# tools/check_page.py on pages make-index builds from a small run made here (the gradient checks,
# a lab with a real image, a "report | ours" table and a figure, a skipped lab, run.json): the
# page passes in headless Chromium. Then three broken pages, each failing with a line naming the
# page and the problem: an image file removed, a table row with one cell more than its header,
# a lab of the run without its section. --screenshot saves the window's view as a PNG, scrolled
# to the section --at names; an id the page lacks is an error (exit 2) that leaves no file.
# Exit 77 (the suite's "skipped") when Chromium is absent.
. "$(dirname "$0")/common.sh"
check_page=$1 index=$2 work=$3
python=/usr/bin/python3  # the system's Python: the checker needs nothing beyond its standard library
[ -x "$python" ] || python=python3
rm -rf "$work"
out=$work/out
mkdir -p "$out/gradcheck" "$out/lab-alpha" "$out/lab-beta" || exit 1
page=$out/index.html

cat >"$out/gradcheck/report.json" <<'JSON'
{"scheme": "central", "step": 1e-05, "seed": 1, "tolerance": {"atol": 1e-08, "rtol": 1e-06},
 "checks": [{"check": "affine [input]", "shapes": "3x4", "method": "vjp", "verdict": "PASS",
             "tensors": [{"tensor": "X", "checked": 12, "max_rel_error": 1e-9, "max_abs_error": 1e-10,
                          "kinks": 0, "failed": 0, "verdict": "PASS"}]}]}
JSON
printf '{"lab": "lab-alpha", "mode": "quick", "seed": 1, "seeds": 1}\n' >"$out/lab-alpha/summary.json"
cat >"$out/lab-beta/status.json" <<'JSON'
{"lab": "lab-beta", "mode": "quick", "status": "skipped", "skipped": "no MNIST", "reason": "offline",
 "how": "pass --data DIR or set GRADLAB_DATA"}
JSON
printf '{\n  "mode": "quick",\n  "date": "2024-05-01 12:00 UTC",\n  "labs": {"lab-alpha": 0, "lab-beta": 0}\n}\n' >"$out/run.json"
printf 'quantity,report,ours,note\naccuracy,90%%,91%%,"a note, with a comma"\n' >"$out/lab-alpha/comparison.csv"
echo 'Report vs ours' >"$out/lab-alpha/comparison.csv.title"
# A real image: one pixel, PNG.
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' |
  base64 -d >"$out/lab-alpha/curves.png" || exit 1
printf "set title 'Loss against epochs'\nplot x\n" >"$out/lab-alpha/curves.gp"

make_page() { "$index" "$out" >"$work/make-index.txt" 2>&1 || { cat "$work/make-index.txt"; fail "make-index failed"; }; }
check() {  # the checker's output in $work/check.txt, its exit status in $code
  code=0
  "$python" "$check_page" "$page" --timeout 60 >"$work/check.txt" 2>&1 || code=$?
  if [ "$code" -eq 77 ]; then cat "$work/check.txt"; exit 77; fi
}
expect_fail() {  # LINE: the check fails (exit 1) and says LINE
  check
  [ "$code" -eq 1 ] || { cat "$work/check.txt"; fail "a broken page is not failed (exit $code): $1"; }
  grep -qxF -- "$page: $1" "$work/check.txt" || { cat "$work/check.txt"; fail "the check does not say: $page: $1"; }
  grep -q "^$page: FAIL in headless Chromium" "$work/check.txt" || { cat "$work/check.txt"; fail "no FAIL verdict line"; }
}

make_page
check
[ "$code" -eq 0 ] || { cat "$work/check.txt"; fail "the page does not pass in headless Chromium (exit $code)"; }
grep -q "^$page: PASS in headless Chromium (1 image, 3 tables, 3 sections" "$work/check.txt" \
  || { cat "$work/check.txt"; fail "the verdict line does not count 1 image, 3 tables (the header, the checks, report vs ours), 3 sections"; }

# Screenshots: the top, and the section of lab-alpha at the top of the window.
"$python" "$check_page" "$page" --screenshot "$work/top.png" >/dev/null || fail "--screenshot failed"
"$python" "$check_page" "$page" --screenshot "$work/alpha.png" --at lab-alpha >/dev/null || fail "--screenshot --at failed"
for png in top alpha; do
  head -c 8 "$work/$png.png" | od -An -c | grep -q 'P   N   G' || fail "$png.png is not a PNG"
done
cmp -s "$work/top.png" "$work/alpha.png" && fail "--at lab-alpha shows the same view as the top"
code=0
"$python" "$check_page" "$page" --screenshot "$work/none.png" --at no-such-section >"$work/none.txt" 2>&1 || code=$?
[ "$code" -eq 2 ] && grep -q 'no-such-section' "$work/none.txt" && [ ! -e "$work/none.png" ] \
  || fail "--at an id the page lacks: exit $code, $(cat "$work/none.txt")"

# A missing image file.
mv "$out/lab-alpha/curves.png" "$work/curves.png"
expect_fail 'broken image: lab-alpha/curves.png'
mv "$work/curves.png" "$out/lab-alpha/curves.png"

# A row with one cell more than its header (a table written without quoting its commas).
printf 'quantity,report,ours,note\naccuracy,90%%,91%%,a note, with a comma\n' >"$out/lab-alpha/comparison.csv"
make_page
expect_fail 'table "Report vs ours" in section lab-alpha: row 1 has 5 cells, its header 4'
printf 'quantity,report,ours,note\naccuracy,90%%,91%%,\n' >"$out/lab-alpha/comparison.csv"

# A lab of the run without its section.
make_page
sed 's/<section id="lab-beta">/<section>/' "$page" >"$page.tmp" && mv "$page.tmp" "$page"
expect_fail 'missing section: lab-beta (a lab of the run)'

# A page that is not there: bad usage, exit 2.
"$python" "$check_page" "$out/no-such-page.html" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing page does not exit 2"
echo "ok"
