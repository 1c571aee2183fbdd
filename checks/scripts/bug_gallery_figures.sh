#!/bin/sh
# bug_gallery_figures.sh LAB_BUG_GALLERY WORK
# The bug gallery's figures are honest and readable (docs/studies/bug-gallery.md, "Where the
# error sits"). lab-bug-gallery runs in quick mode (a few seconds) into the fresh folder WORK.
# Then the test reads the gnuplot scripts and data it wrote:
#  - every heatmap (13 bugs, 5 controls) uses one fixed colour scale. cbrange is [-16:1] (log10
#    of the relative error), set in the script and not fitted to the data. The colour-bar tics
#    are integers and include the tolerance's labelled tic at -6 (log10 of the checker's rtol,
#    1e-6). The palette is the same everywhere, spans the range, breaks at the tolerance and only
#    gets darker as the error grows. Every heatmap plots the log10_rel_error column of its CSV;
#  - row and column tics are integers (0,STEP,LAST, LAST the last index), so a one-column
#    tensor (there is one: bias-not-summed's db1) gets the single tic 0;
#  - the data agree with the colours: every control's entries are all below the tolerance,
#    and every bug has entries above it;
#  - the kill matrix leaves room for each colour-bar label right of the colour bar and for each
#    row title left of the plot, and its cells are wide enough for each mark at the cells' font.
#    Text widths are estimated from DejaVu Sans's advance widths (the font of gnuplot's 'Sans'
#    here) at 96 dpi (pngcairo): 4/3 px per pt per em. The estimates lie a few percent above
#    the measured widths of these labels.
lab=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
"$lab" --quick --threads 1 --out "$work" >/dev/null || fail "lab-bug-gallery exited $?"

# The tics of a gnuplot list "set ?tics ... ('label' pos, ...)", one "pos<TAB>label" per line
# (quotes doubled inside a label are undone).
tic_list() {
  awk '{
    s = $0; sub(/^[^(]*\(/, "", s); sub(/\)[ ]*$/, "", s)
    n = length(s); i = 1
    while (i <= n) {
      while (i <= n && substr(s, i, 1) != "\047") i++
      if (i > n) break
      label = ""; i++
      while (i <= n) {
        c = substr(s, i, 1)
        if (c == "\047") { if (substr(s, i + 1, 1) == "\047") { label = label c; i += 2; continue } i++; break }
        label = label c; i++
      }
      rest = substr(s, i); sub(/,.*/, "", rest); gsub(/ /, "", rest)
      printf "%s\t%s\n", rest, label
    }
  }'
}

# line WHAT: the first line of the heatmap script $gp that starts "set WHAT".
line() { grep "^set $1" "$gp" | head -1; }

count=0 one_column=0
for gp in "$work"/heatmap-*.gp; do
  [ -f "$gp" ] || fail "no heatmap script in $work"
  name=$(basename "$gp" .gp)
  count=$((count + 1))
  for file in "$work/$name.csv" "$work/$name.png" "$work/$name.svg"; do
    test -s "$file" || fail "missing $file"
  done
  cbrange=$(line 'cbrange ')
  [ "$cbrange" = "set cbrange [-16:1]" ] || fail "$name: '$cbrange', expected the fixed 'set cbrange [-16:1]'"
  cbtics=$(line 'cbtics ') palette=$(line 'palette ')
  if [ $count -eq 1 ]; then
    first_cbtics=$cbtics first_palette=$palette
  else
    [ "$cbtics" = "$first_cbtics" ] || fail "$name: colour-bar tics differ from the other heatmaps': $cbtics"
    [ "$palette" = "$first_palette" ] || fail "$name: palette differs from the other heatmaps': $palette"
  fi
  grep -q "column('log10_rel_error')" "$gp" || fail "$name: does not plot log10_rel_error"
  grep -q '^set logscale' "$gp" && fail "$name: the values are log10 already; no log scale on top"
  # Colour-bar tics: integers, the tolerance's at -6.
  tics=$(echo "$cbtics" | tic_list)
  [ -n "$tics" ] || fail "$name: no colour-bar tic list: $cbtics"
  echo "$tics" | awk -F '\t' '$1 !~ /^-?[0-9]+$/ { exit 1 }' || fail "$name: a colour-bar tic off the integers: $cbtics"
  echo "$tics" | grep -q "^-6	.*tolerance 10^{-6}" || fail "$name: no tolerance tic at -6: $cbtics"
  # Row and column tics: 0,STEP,LAST with LAST the last index of the data.
  columns=$(awk -F, 'NR > 1 && $1 + 1 > n { n = $1 + 1 } END { print n }' "$work/$name.csv")
  rows=$(awk -F, 'NR > 1 && $2 + 1 > n { n = $2 + 1 } END { print n }' "$work/$name.csv")
  for axis in x y; do
    n=$columns
    [ $axis = y ] && n=$rows
    tics=$(line "${axis}tics ")
    echo "$tics" | grep -Eq "^set ${axis}tics out nomirror 0,[1-9][0-9]*,$((n - 1))\$" \
      || fail "$name: ${axis} tics '$tics', expected integer tics 0,STEP,$((n - 1))"
  done
  [ "$columns" -eq 1 ] && one_column=$((one_column + 1))
  # The data against the tolerance: controls below it everywhere, bugs above it somewhere.
  largest=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "log10_rel_error") c = i }
                     NR == 2 { m = $c } NR > 1 && $c > m { m = $c } END { print m }' "$work/$name.csv")
  case $name in
    heatmap-control-*) awk "BEGIN { exit !($largest < -6) }" || fail "$name: a control with an entry at 10^$largest, above the tolerance" ;;
    *) awk "BEGIN { exit !($largest > -6) }" || fail "$name: a bug whose largest entry, 10^$largest, is within the tolerance" ;;
  esac
done
[ $count -eq 18 ] || fail "$count heatmaps, expected 18 (13 bugs, 5 controls)"
[ $one_column -ge 1 ] || fail "no one-column heatmap: the single-tic case is not exercised"

# The palette: from -16 to 1, a break at the tolerance (-6 twice), each colour at least as dark
# as the one before (luminance 0.299 R + 0.587 G + 0.114 B never rises).
echo "$first_palette" | awk '
  function hex(s,   i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = 16 * v + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
  {
    s = $0; sub(/^set palette defined \(/, "", s); sub(/\)[ ]*$/, "", s)
    n = split(s, entries, /, /)
    for (i = 1; i <= n; i++) {
      split(entries[i], part, " "); pos[i] = part[1]; c = part[2]; gsub(/[\047#]/, "", c)
      if (length(c) != 6) { print "FAIL: palette entry " entries[i] " is not a #rrggbb colour"; exit 1 }
      lum[i] = 0.299 * hex(substr(c, 1, 2)) + 0.587 * hex(substr(c, 3, 2)) + 0.114 * hex(substr(c, 5, 2))
      if (i > 1 && lum[i] > lum[i - 1]) { print "FAIL: the palette gets lighter at " entries[i] ": dark must mean a large error"; exit 1 }
      if (pos[i] == -6) breaks++
    }
    if (pos[1] != -16 || pos[n] != 1) { print "FAIL: the palette does not span -16 .. 1: " $0; exit 1 }
    if (breaks != 2) { print "FAIL: the palette does not break at the tolerance, -6: " $0; exit 1 }
    if (lum[1] < 230 || lum[n] > 80) { print "FAIL: the palette should run from a pale colour to a dark one: " $0; exit 1 }
  }' || exit 1

# The kill matrix.
km=$work/kill-matrix.gp
test -s "$km" && test -s "$work/kill-matrix.png" || fail "missing the kill matrix's script or PNG"
width=$(sed -n "s/^set terminal pngcairo size \([0-9]*\),[0-9]*.*font 'Sans,\([0-9]*\)'.*/\1/p" "$km")
font=$(sed -n "s/^set terminal pngcairo size \([0-9]*\),[0-9]*.*font 'Sans,\([0-9]*\)'.*/\2/p" "$km")
left=$(sed -n 's/^set lmargin at screen \([0-9.]*\)$/\1/p' "$km")
right=$(sed -n 's/^set rmargin at screen \([0-9.]*\)$/\1/p' "$km")
bar=$(sed -n 's/^set colorbox user origin screen \([0-9.]*\), screen [0-9.]* size screen \([0-9.]*\), screen [0-9.]*$/\1 \2/p' "$km")
columns=$(sed -n 's/^set xrange \[-0.5:\([0-9]*\)-0.5\]$/\1/p' "$km")
cell_font=$(sed -n "s/.*with labels title 'marks' font ',\([0-9]*\)'.*/\1/p" "$km")
for v in "$width" "$font" "$left" "$right" "$bar" "$columns" "$cell_font"; do
  [ -n "$v" ] || fail "kill-matrix.gp: the size, font, margins, colour box, columns or cells' font is not set as expected"
done
{
  echo "cbtics	$(grep '^set cbtics ' "$km" | tic_list | cut -f 2 | tr '\n' '\t')"
  echo "ytics	$(grep '^set ytics (' "$km" | tic_list | cut -f 2 | tr '\n' '\t')"
  echo "marks	$(awk -F, 'NR > 1 { print $4 }' "$work/kill-matrix.csv" | sort -u | tr '\n' '\t')"
} | awk -F '\t' -v width="$width" -v font="$font" -v left="$left" -v right="$right" -v bar="$bar" \
       -v columns="$columns" -v cell_font="$cell_font" '
  BEGIN {
    # DejaVu Sans advance widths, in em; 1 em for any other character.
    w = ".318 .337 .390 .390 .361 .318 .337 .337 .275 .838 .838"; c = " :()-.,/\047=^"
    n = split(w, v, " "); for (i = 1; i <= n; i++) em[substr(c, i, 1)] = v[i]
    split(".613 .635 .550 .635 .615 .352 .635 .634 .278 .278 .579 .278 .974 .634 .612 .635 .635 .411 .521 .392 .634 .592 .818 .592 .592 .525", v, " ")
    for (i = 1; i <= 26; i++) em[substr("abcdefghijklmnopqrstuvwxyz", i, 1)] = v[i]
    split(".684 .686 .698 .770 .632 .575 .775 .752 .295 .295 .656 .557 .863 .748 .787 .603 .787 .695 .635 .611 .732 .684 .989 .685 .611 .685", v, " ")
    for (i = 1; i <= 26; i++) em[substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", i, 1)] = v[i]
    for (i = 0; i <= 9; i++) em[i ""] = .636
    split(bar, b, " ")
  }
  function px(text, pt,   i, ch, sum) {
    sum = 0
    for (i = 1; i <= length(text); i++) { ch = substr(text, i, 1); sum += (ch in em) ? em[ch] : 1 }
    return sum * pt * 4 / 3
  }
  function widest(   i, m, t) { m = 0; for (i = 2; i <= NF; i++) if ($i != "" && px($i, 1) > m) { m = px($i, 1); t = $i } return t }
  $1 == "cbtics" {
    t = widest(); room = (1 - b[1] - b[2]) * width; need = px(t, font) + 2 * font * 4 / 3
    if (b[1] < right) { print "FAIL: kill matrix: the colour bar overlaps the plot"; exit 1 }
    if (need > room) { printf "FAIL: kill matrix: the colour-bar label \047%s\047 needs %.0f px, %.0f right of the bar\n", t, need, room; exit 1 }
  }
  $1 == "ytics" {
    t = widest(); room = left * width; need = px(t, font) + font * 4 / 3
    if (need > room) { printf "FAIL: kill matrix: the row title \047%s\047 needs %.0f px, %.0f left of the plot\n", t, need, room; exit 1 }
  }
  $1 == "marks" {
    t = widest(); room = (right - left) * width / columns; need = px(t, cell_font) + 4
    if (need > room) { printf "FAIL: kill matrix: the mark \047%s\047 needs %.0f px, a cell is %.0f\n", t, need, room; exit 1 }
  }' || exit 1
echo "18 heatmaps on one colour scale, and a kill matrix whose labels fit"
