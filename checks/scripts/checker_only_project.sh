#!/bin/sh
# Builds examples/checker-only (a project outside the tree that links gradlab::core alone) in a
# fresh folder, runs it, and checks its link line: gradlab's core library, and no curl, OpenSSL,
# zlib or CLI11.   checker_only_project.sh SOURCE_TREE WORK_FOLDER
set -eu
tree=$1
work=$2
rm -rf "$work"
cmake -S "$tree/examples/checker-only" -B "$work" -DGRADLAB_SOURCE_DIR="$tree" \
      -DCMAKE_BUILD_TYPE=Debug >"$work.configure.log" 2>&1 || { cat "$work.configure.log"; exit 1; }
cmake --build "$work" -j 2 >"$work.build.log" 2>&1 || { cat "$work.build.log"; exit 1; }
"$work/softplus-check"
link=$(cat "$work/CMakeFiles/softplus-check.dir/link.txt")
echo "link line: $link"
case "$link" in *libgradlab_core.a*) ;; *) echo "FAIL: the link line lacks libgradlab_core.a"; exit 1 ;; esac
if echo "$link" | grep -Eiq 'curl|ssl|crypto|libz[.]|-lz( |$)|cli11|gradlab_(fast|nn|optim|io|output|data|train|autograd|programs)'; then
  echo "FAIL: the link line holds more than gradlab::core needs"
  exit 1
fi
echo "ok: links gradlab::core alone"
