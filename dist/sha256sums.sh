#!/usr/bin/env bash
# dist/sha256sums.sh TARGET_DIR: writes TARGET_DIR/SHA256SUMS for what `mvn package` built there (the
# jar, and the SBOM, the .deb and the bundle tarball when this build made them), in `sha256sum -c` format, so that a
# download is checked with `sha256sum -c SHA256SUMS` and two builds are compared by this one file
# (.ci/reproducible; docs/debian-package.md, "Verifying a build").
set -euo pipefail
cd "$1"
files=(tsync.jar)
# what this build made after the jar; one left by an earlier build (-Dbundle.skip now, or mvn -o) is not listed
for f in tsync.cdx.json tsync_*_all.deb tsync-*-linux-*.tar.gz; do
  [ -f "$f" ] && ! [ "$f" -ot tsync.jar ] && files+=("$f")
done
sha256sum "${files[@]}" >SHA256SUMS.tmp
mv SHA256SUMS.tmp SHA256SUMS
echo "sha256sums: $(pwd)/SHA256SUMS (${files[*]})"
