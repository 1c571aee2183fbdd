#!/bin/sh
# cmake --install of a built tree into PREFIX (emptied first), then what a user of the package
# relies on: every public header as a real file in include/gradlab/ (no links into the build
# tree), version.hpp, one static library per layer, the CMake package (config, version file,
# exported targets), the tools and labs named gradlab-<name> and nothing else in bin/ (no test
# helper, no benchmark), and an installed tool that runs and says its version.
#   install_tree.sh SOURCE_TREE BUILD_FOLDER PREFIX VERSION [LABS]   (LABS 0: the labs are not built)
set -u
. "$(dirname "$0")/common.sh"
tree=$1 build=$2 prefix=$3 version=$4 labs=${5:-1}
rm -rf "$prefix" && mkdir -p "$(dirname "$prefix")" || exit 1
cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log"; fail "cmake --install failed"; }

links=$(find "$prefix" -type l)
[ -z "$links" ] || fail "links installed: $links"
(cd "$tree/lib/include" && find gradlab -name '*.hpp') | while read -r header; do
  [ -f "$prefix/include/$header" ] || { echo "FAIL: $header is not installed"; exit 1; }
done || exit 1
[ -f "$prefix/include/gradlab/version.hpp" ] || fail "include/gradlab/version.hpp is not installed"
grep -qF "\"$version\"" "$prefix/include/gradlab/version.hpp" || fail "version.hpp does not say $version"

for layer in core fast nn optim io output data train autograd; do
  [ -n "$(find "$prefix" -name "libgradlab_$layer.a")" ] || fail "libgradlab_$layer.a is not installed"
done
package=$(dirname "$(find "$prefix" -name gradlabConfig.cmake)")
[ -d "$package" ] || fail "gradlabConfig.cmake is not installed"
for f in gradlabConfigVersion.cmake gradlabTargets.cmake; do
  [ -f "$package/$f" ] || fail "$f is not installed beside gradlabConfig.cmake"
done
grep -q 'gradlab::core' "$package/gradlabTargets.cmake" || fail "gradlabTargets.cmake does not define gradlab::core"

expected="gradlab-gradcheck gradlab-train gradlab-make-index"
if [ "$labs" = 1 ]; then
  for lab in "$tree"/labs/lab-*/main.cpp; do
    expected="$expected gradlab-$(basename "$(dirname "$lab")")"
  done
fi
for program in $expected; do
  [ -x "$prefix/bin/$program" ] || fail "bin/$program is not installed"
done
for program in "$prefix"/bin/*; do
  name=$(basename "$program")
  case " $expected " in *" $name "*) ;; *) fail "bin/$name is installed but is no tool or lab" ;; esac
done

out=$("$prefix/bin/gradlab-gradcheck" --version) || fail "gradlab-gradcheck --version failed"
[ "$out" = "gradcheck (gradlab $version)" ] || fail "gradlab-gradcheck --version says '$out'"
"$prefix/bin/gradlab-gradcheck" --op relu >"$prefix.gradcheck.log" 2>&1 ||
  { cat "$prefix.gradcheck.log"; fail "the installed gradlab-gradcheck --op relu failed"; }
echo "ok: $(find "$prefix/include" -name '*.hpp' | wc -l) headers, 9 libraries, the package and $(ls "$prefix/bin" | wc -l) programs in $prefix"
