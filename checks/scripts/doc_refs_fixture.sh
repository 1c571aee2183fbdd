#!/bin/sh
# doc_refs_fixture.sh citations|transcripts CHECK_DOC_REFS WORK
# check-doc-refs on a small tree built in WORK (never the real one).
#   citations:   a page cites one function, file, test and option that exist, then a renamed
#                function, a missing file, a missing test name, an unknown option, a pasted
#                statement and a C++ block. The check must exit 1 naming exactly the six broken
#                ones, and count the four good ones as verified.
#   transcripts: a page embeds the output of bin/hello with one line wrong. --transcripts must
#                exit 1 naming the line, --write-transcripts must fix it (and then --transcripts
#                passes), and a block whose program is missing must fail naming it.
mode=$1 check=$2 work=$3
. "$(dirname "$0")/common.sh"  # fail
tree=$work/tree
rm -rf "$work"
mkdir -p "$tree/lib/src" "$tree/checks" "$tree/docs" "$tree/bin" || exit 1
out=$work/output

# expect_line TEXT: the last run printed a line containing TEXT.
expect_line() {
  grep -qF -- "$1" "$out" || { cat "$out"; fail "no line with: $1"; }
}

citations() {
  cat >"$tree/lib/src/ops.cpp" <<'EOF'
namespace fixture {
double affine_forward(double x) { return x; }
const char* const seed_option = "--seed";
}  // namespace fixture
EOF
  cat >"$tree/checks/check_ops.cpp" <<'EOF'
TEST_CASE("affine: forward is the identity") {}
EOF
  # The unknown option is written in two pieces: the real tree's check reads this script for
  # the options it defines.
  unknown="--no-such-""flag"
  cat >"$tree/docs/page.md" <<EOF
# A page

Present: \`fixture::affine_forward(x)\`, \`lib/src/ops.cpp\`, \`affine: forward is the identity\`,
\`--seed 1\`.

A renamed function: \`fixture::affine_forwards(x)\`.
A missing file: \`lib/src/missing.cpp\`.
A missing test: \`affine: backward is the identity\`.
An unknown option: \`$unknown\`.
A pasted statement: \`y = fixture::affine_forward(x); return y;\`.

\`\`\`cpp
double y = fixture::affine_forward(1.0);
\`\`\`
EOF
  "$check" --root "$tree" >"$out" 2>&1
  status=$?
  [ "$status" -eq 1 ] || { cat "$out"; fail "exit status $status, expected 1"; }
  expect_line "docs/page.md:6: name 'fixture::affine_forwards(x)' has 'affine_forwards'"
  expect_line "docs/page.md:7: file 'lib/src/missing.cpp' does not exist"
  expect_line "docs/page.md:8: test 'affine: backward is the identity' is not a test name"
  expect_line "docs/page.md:9: option '$unknown' is defined by no program or script"
  expect_line "docs/page.md:10: code 'y = fixture::affine_forward(x); return y;' pastes code"
  expect_line "docs/page.md:12: code '\`\`\`cpp' pastes a C++ block"
  expect_line "1 page; 6 broken citations; verified 1 files, 1 names, 1 tests, 1 options"
  [ "$(grep -c '^docs/page.md:' "$out")" -eq 6 ] || { cat "$out"; fail "expected exactly six broken citations"; }
  echo "ok: the six broken citations are named, the four good ones verified"
}

transcripts() {
  printf '#!/bin/sh\necho "Hello, $1"\necho "second line"\n' >"$tree/bin/hello"
  chmod +x "$tree/bin/hello"
  cat >"$tree/docs/page.md" <<'EOF'
# A transcript

<!-- begin: hello world -->
```
$ build/bin/hello world
Hello, moon
second line
```
<!-- end: hello world -->
EOF
  "$check" --root "$tree" --transcripts --bin "$tree/bin" >"$out" 2>&1
  status=$?
  [ "$status" -eq 1 ] || { cat "$out"; fail "--transcripts: exit status $status, expected 1"; }
  expect_line "docs/page.md:6: transcript 'hello world' differs from the program's output: the page has 'Hello, moon', the program 'Hello, world'"
  "$check" --root "$tree" --write-transcripts --bin "$tree/bin" >"$out" 2>&1 || { cat "$out"; fail "--write-transcripts failed"; }
  expect_line "docs/page.md:3: rewrote 'hello world'"
  grep -qx 'Hello, world' "$tree/docs/page.md" || fail "the page was not rewritten"
  "$check" --root "$tree" --transcripts --bin "$tree/bin" >"$out" 2>&1 || { cat "$out"; fail "--transcripts fails after the rewrite"; }
  printf '<!-- begin: no-such-program -->\n<!-- end: no-such-program -->\n' >>"$tree/docs/page.md"
  "$check" --root "$tree" --transcripts --bin "$tree/bin" >"$out" 2>&1
  status=$?
  [ "$status" -eq 1 ] || { cat "$out"; fail "a missing program: exit status $status, expected 1"; }
  expect_line "docs/page.md:10: transcript 'no-such-program' cannot be run"
  echo "ok: a wrong line is named, rewritten, and a missing program fails"
}

case $mode in
  citations) citations ;;
  transcripts) transcripts ;;
  *) echo "usage: doc_refs_fixture.sh citations|transcripts CHECK_DOC_REFS WORK" >&2; exit 2 ;;
esac
