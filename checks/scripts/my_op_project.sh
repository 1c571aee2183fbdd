#!/bin/sh
# Builds examples/my-op (a project of its own that checks its own op, GELU, with gradlab's
# checker) in a fresh folder, either against an installed gradlab (install PREFIX: found with
# find_package from that prefix) or with gradlab's source tree added (subdirectory); then runs
# it: the right backward must pass (exit 0, PASS), the wrong one fail (--wrong: exit 1, FAIL),
# an unknown argument exit 2; and its link line must hold gradlab's core library and no curl,
# OpenSSL, zlib, CLI11 or other layer. Against the install tree, a copy of the package whose
# BLAS file is gone must stop find_package with a message naming that file.
#   my_op_project.sh install SOURCE_TREE WORK_FOLDER PREFIX
#   my_op_project.sh subdirectory SOURCE_TREE WORK_FOLDER
set -u
. "$(dirname "$0")/common.sh"
mode=$1 tree=$2 work=$3
case $mode in
  install) how="-DCMAKE_PREFIX_PATH=$4" ;;
  subdirectory) how="-DGRADLAB_SOURCE_DIR=$tree" ;;
  *) echo "my_op_project.sh: unknown mode '$mode' (install or subdirectory)"; exit 2 ;;
esac
rm -rf "$work" && mkdir -p "$(dirname "$work")" || exit 1
cmake -S "$tree/examples/my-op" -B "$work" "$how" -DCMAKE_BUILD_TYPE=Debug \
      >"$work.configure.log" 2>&1 || { cat "$work.configure.log"; fail "configure failed"; }
if [ "$mode" = install ]; then
  found=$(sed -n 's/^gradlab_DIR:PATH=//p' "$work/CMakeCache.txt")
  case $found in "$4"/*) ;; *) fail "find_package(gradlab) found '$found', not the package in $4" ;; esac
fi
cmake --build "$work" -j 2 >"$work.build.log" 2>&1 || { cat "$work.build.log"; fail "build failed"; }

"$work/my-op" >"$work.right.txt" 2>&1
status=$?
cat "$work.right.txt"
[ "$status" -eq 0 ] || fail "the right backward: exit $status, expected 0"
grep -q 'PASS' "$work.right.txt" && ! grep -q 'FAIL' "$work.right.txt" || fail "the right backward does not PASS"

"$work/my-op" --wrong >"$work.wrong.txt" 2>&1
status=$?
cat "$work.wrong.txt"
[ "$status" -eq 1 ] || fail "the wrong backward: exit $status, expected 1"
grep -q 'FAIL' "$work.wrong.txt" || fail "the wrong backward does not print FAIL"

"$work/my-op" --no-such-option >/dev/null 2>"$work.usage.txt"
status=$?
[ "$status" -eq 2 ] && grep -qF -- '--no-such-option' "$work.usage.txt" || fail "an unknown argument: exit $status, expected 2 naming it"

link=$(cat "$work/CMakeFiles/my-op.dir/link.txt")
echo "link line: $link"
case $link in *libgradlab_core.a*) ;; *) fail "the link line lacks libgradlab_core.a" ;; esac
if echo "$link" | grep -Eiq 'curl|ssl|crypto|libz[.]|-lz( |$)|cli11|gradlab_(fast|nn|optim|io|output|data|train|autograd|programs)'; then
  fail "the link line holds more than gradlab::core needs"
fi
# A package whose BLAS file is gone (a copy of the installed one, pointing elsewhere) stops
# find_package with a message naming that file.
if [ "$mode" = install ]; then
  broken=$work.broken-package
  rm -rf "$broken" "$broken-build" && cp -r "$found" "$broken" || exit 1
  sed -i 's|^\(foreach(_gradlab_blas IN ITEMS \).*)$|\1/no/such/folder/libblas.so)|' "$broken/gradlabConfig.cmake"
  if cmake -S "$tree/examples/my-op" -B "$broken-build" -Dgradlab_DIR="$broken" >"$broken.log" 2>&1; then
    fail "a package whose BLAS file is gone was found"
  fi
  tr '\n' ' ' <"$broken.log" | tr -s ' ' |  # CMake wraps the message
    grep -qF 'gradlab was built against the BLAS /no/such/folder/libblas.so, which is not there' ||
    { cat "$broken.log"; fail "the message does not name the missing BLAS file"; }
fi
echo "ok ($mode): the right backward passes, the wrong one fails, and it links gradlab::core alone"
