# bench/lib.sh: what bench/run and bench/compare share. Sourced, not run.

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }

# median_log RUN.time...: RUN.log of the run whose wall time is nearest the median of them all (with an even
# number of runs the median is an average that no run took)
median_log() {
  local med f
  med=$(cat "$@" | median)
  for f in "$@"; do
    printf '%s %s\n' "$(awk -v a="$(cat "$f")" -v m="$med" 'BEGIN { d = a - m; printf "%.9f", d < 0 ? -d : d }')" "$f"
  done | sort -g -k1,1 -s | head -n 1 | cut -d' ' -f2- | sed 's/\.time$/.log/'
}

# put_section RESULTS SECTION [BEFORE]: SECTION's text (first line "<!-- NAME -->", last "<!-- /NAME -->")
# replaces the section of that name in RESULTS, or goes in before the line BEFORE (at the end when absent).
put_section() {
  python3 - "$1" "$2" "${3:-}" <<'PY'
import re, sys
path, section, before = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
head = ("# tsync vs Ansible: benchmark results\n\n"
        "Written by `bench/run` (do not edit by hand): one section per N, replaced when `bench/run N` runs again.\n"
        "Setup: bench/README.md.\n\n")
try:
    text = open(path).read()
except FileNotFoundError:
    text = ""
if not text.strip():
    text = head
marker = section.splitlines()[0]
pattern = re.compile(re.escape(marker) + r".*?" + re.escape(marker.replace("<!-- ", "<!-- /")) + r"\n?", re.S)
at = text.find(before) if before else -1
if pattern.search(text):
    text = pattern.sub(lambda m: section, text)
elif at >= 0:
    text = text[:at] + section + "\n" + text[at:]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
}
