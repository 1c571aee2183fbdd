#!/bin/sh
# Every Catch2 test name must have balanced square brackets: ctest's test discovery reads the
# names as a CMake list, where an unbalanced '[' silently merges the following tests into one
# entry that runs none of them; a ';' splits a name into two entries that match no test case.
# Usage: check_test_names.sh path/to/gradlab_checks
"$1" --list-test-names-only | awk '
  NF { opened = gsub(/\[/, "["); closed = gsub(/\]/, "]");
       if (opened != closed) { print "unbalanced brackets in test name: " $0; bad = 1 }
       if (index($0, ";")) { print "a ; in test name (ctest would split it in two): " $0; bad = 1 } }
  END { exit bad }'
