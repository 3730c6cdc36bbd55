#!/usr/bin/env bash
# Builds target/tsync-VERSION-linux-ARCH.tar.gz: a Java runtime trimmed by jlink to the modules in
# dist/modules, the jar and a launcher (dist/tsync), so a server without Java runs tsync after
# unpacking it. Run by `mvn package` after the jar and the man pages; -Dbundle.skip leaves it out.
#   dist/bundle.sh VERSION JAVA_HOME TARGET_DIR [TIMESTAMP]
# TIMESTAMP (project.build.outputTimestamp, ISO-8601) is every entry's mtime; entries are sorted and owned
# by 0:0 with modes that do not depend on the umask: the same sources and JDK give the same tarball.
set -euo pipefail
version=$1 java_home=$2 target=$3 timestamp=${4:-}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
name=tsync-$version
out=$target/$name-linux-$arch.tar.gz
if [ ! -d "$java_home/jmods" ]; then
  # the jar is still built; ScaleIT names the missing tarball
  echo "bundle: WARNING: no $out: jlink builds the runtime from the JDK's jmods, and $java_home/jmods" \
    "is missing (Debian 12's openjdk-17-jdk-headless has them; some distributions ship openjdk-17-jmods);" \
    "-Dbundle.skip silences this" >&2
  rm -f "$out"
  exit 0
fi
modules=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$root/dist/modules" | paste -sd, -)
# no --generate-cds-archive: JDK 17 writes the class-data archive differently on every run, which would make
# the tarball unreproducible; `runtime/bin/java -Xshare:dump` on the server writes it (docs/scale.md)
opts=(--strip-debug --no-header-files --no-man-pages)
# The runtime depends on the modules, the options and the JDK only: kept between builds until one changes.
key=$({ echo "$modules"; echo "${opts[*]}"; cat "$java_home/release"; } | sha256sum | cut -c1-16)
runtime=$target/bundle-runtime-$key
if [ ! -x "$runtime/bin/java" ]; then
  rm -rf "$target"/bundle-runtime-*
  "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" "${opts[@]}" --output "$runtime.tmp" >/dev/null
  mv "$runtime.tmp" "$runtime"
fi
stage=$target/bundle/$name
rm -rf "$target/bundle"
mkdir -p "$stage/bin" "$stage/lib"
cp -al "$runtime" "$stage/runtime" 2>/dev/null || cp -a "$runtime" "$stage/runtime"
cp -p "$target/tsync.jar" "$stage/lib/tsync.jar"
install -m 755 "$root/dist/tsync" "$stage/bin/tsync"
if compgen -G "$target/man/*.1" >/dev/null; then
  mkdir -p "$stage/share/man/man1"
  cp "$target"/man/*.1 "$stage/share/man/man1/"
fi
if [ -f "$target/tsync.cdx.json" ]; then
  mkdir -p "$stage/share/doc/tsync"
  cp "$target/tsync.cdx.json" "$stage/share/doc/tsync/sbom.cdx.json"
fi
# the runtime must run the jar: a missing module shows here, not on a server
"$stage/bin/tsync" timezones Asia/Seoul | grep -qx Asia/Seoul
reproducible=(--sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mode=u+rwX,go+rX,go-w)
[ -n "$timestamp" ] && reproducible+=(--mtime="$timestamp")
# gzip -n: no name or time in the gzip header
tar -C "$target/bundle" "${reproducible[@]}" -cf - "$name" | gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "bundle: $out ($(du -h "$out" | cut -f1))"
