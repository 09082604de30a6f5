#!/usr/bin/env bash
# Benchmarks `painmap rank` against the CSV parse floor (issue 6).
#
#   bench/run.sh                          100k, 1M and 5M rows x 100 features,
#                                         and 1,000 features at 1M rows
#   PAINMAP_BENCH_QUICK=1 bench/run.sh    a smoke test with small sizes (CI)
#
# Environment: RUNS (timed runs per measurement, default 3; the median is
# reported), BENCH_DIR (where generated data is kept, default
# target/bench-data; the data is regenerated when the generator changes).
#
# For each size it generates a deterministic export with
# examples/gen_feedback, times `painmap rank --format json` and
# examples/csv_floor (the csv crate reading the same file and its text
# column once) side by side, records peak RSS with /usr/bin/time, and checks
# that --threads 1 and the default give byte-identical JSON. It prints a
# Markdown table on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

AS_OF=2026-11-01
SEED=1
if [[ "${PAINMAP_BENCH_QUICK:-0}" != 0 ]]; then
    quick=1
    sizes=(2000 20000)
    wide=20000
    runs=${RUNS:-1}
else
    quick=0
    sizes=(100000 1000000 5000000)
    wide=1000000
    runs=${RUNS:-3}
fi

say() { echo "bench: $*" >&2; }

# /usr/bin/time (GNU time) reports peak RSS; it is the `time` package.
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing GNU time (apt-get install time)"
        apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null
    fi
fi
if [[ ! -x /usr/bin/time ]]; then
    say "error: /usr/bin/time is missing; install the 'time' package (apt-get install time)"
    exit 1
fi

say "building release binaries"
cargo build --release --locked --quiet --bin painmap --example gen_feedback --example csv_floor
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin="$target_dir/release"
painmap="$bin/painmap"
gen="$bin/examples/gen_feedback"
floor="$bin/examples/csv_floor"

stamp=$(cat examples/gen_feedback/*.rs | sha256sum | cut -c1-12)
data="${BENCH_DIR:-$target_dir/bench-data}/$stamp"
mkdir -p "$data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

roadmap() { # features
    local f="$data/roadmap-$1.toml"
    [[ -s $f ]] || "$gen" --features "$1" --seed "$SEED" --roadmap "$f"
    echo "$f"
}

feedback() { # rows
    local f="$data/feedback-$1.csv"
    if [[ ! -s $f ]]; then
        say "generating $1 rows"
        "$gen" --rows "$1" --seed "$SEED" --out "$f.tmp" && mv "$f.tmp" "$f"
    fi
    echo "$f"
}

now_ns() { date +%s%N; }

median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); if (NR % 2) print v[m]; else printf "%.6f\n", (v[m] + v[m + 1]) / 2 }'; }

# measure NAME CMD...: runs CMD $runs times (after one warm-up run that also
# brings the file into the page cache); sets $secs (median wall seconds)
# and $rss_mb (largest peak RSS in MB).
measure() {
    local name=$1
    shift
    "$@" >/dev/null
    local walls=() peak=0
    for ((i = 0; i < runs; i++)); do
        local t0 t1 kb
        t0=$(now_ns)
        /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null
        t1=$(now_ns)
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')")
        kb=$(tail -n 1 "$tmp/rss")
        ((kb > peak)) && peak=$kb
    done
    secs=$(printf '%s\n' "${walls[@]}" | median)
    rss_mb=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
    say "$name: median ${secs}s of ${runs}, peak RSS ${rss_mb} MB"
}

# The command line being measured: rank ROADMAP FEEDBACK [ARGS] runs it.
rank_args=(--quiet rank --as-of "$AS_OF" --format json)
rank() { # roadmap feedback [extra args]
    local r=$1 f=$2
    shift 2
    "$painmap" -r "$r" "${rank_args[@]}" "$f" "$@"
}

identical() { # roadmap feedback
    rank "$1" "$2" --threads 1 >"$tmp/one.json"
    rank "$1" "$2" >"$tmp/all.json"
    if cmp -s "$tmp/one.json" "$tmp/all.json"; then echo yes; else echo "**NO**"; fi
}

s3() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }

rows_label() {
    awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%gM", n / 1e6; else if (n >= 1e3) printf "%gk", n / 1e3; else print n }'
}

declare -A rank_secs
table=()
for n in "${sizes[@]}"; do
    f=$(feedback "$n")
    r=$(roadmap 100)
    mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
    measure "csv floor, $n rows" "$floor" "$f"
    floor_secs=$secs
    measure "rank, $n rows, 100 features" "$painmap" -r "$r" "${rank_args[@]}" "$f"
    rank_secs[$n]=$secs
    same=$(identical "$r" "$f")
    table+=("| $(rows_label "$n") | 100 | $mb | $(s3 "$floor_secs") | $(s3 "$secs") | $(awk -v a="$secs" -v b="$floor_secs" 'BEGIN { printf "%.1f×", a / b }') | $rss_mb | $same |")
done

f=$(feedback "$wide")
r=$(roadmap 1000)
measure "csv floor, $wide rows" "$floor" "$f"
floor_secs=$secs
measure "rank, $wide rows, 1000 features" "$painmap" -r "$r" "${rank_args[@]}" "$f"
wide_secs=$secs
table+=("| $(rows_label "$wide") | 1000 | $(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }') | $(s3 "$floor_secs") | $(s3 "$wide_secs") | $(awk -v a="$wide_secs" -v b="$floor_secs" 'BEGIN { printf "%.1f×", a / b }') | $rss_mb | $(identical "$r" "$f") |")

# Start-up: the shipped example, as a person first runs it.
if "$painmap" --quiet rank --as-of "$AS_OF" --format json >/dev/null 2>"$tmp/err"; then
    measure "rank, shipped example" "$painmap" --quiet rank --as-of "$AS_OF" --format json
    startup="$(awk -v s="$secs" 'BEGIN { printf "%.1f", s * 1000 }') ms (median of $runs)"
else
    say "start-up not measured: $(head -n 1 "$tmp/err")"
    startup="not measured: the shipped example did not run ($(head -n 1 "$tmp/err"))"
fi

# Instruction counts (callgrind, one thread): unlike wall time on a shared
# machine they do not depend on what else runs, so they compare runs taken
# on different days. PAINMAP_BENCH_INSTR=0 skips them.
instr_note="not measured (valgrind missing, or PAINMAP_BENCH_INSTR=0)"
if [[ ${PAINMAP_BENCH_INSTR:-1} != 0 ]] && command -v valgrind >/dev/null; then
    if [[ $quick == 1 ]]; then n=2000; else n=50000; fi
    f=$(feedback "$n")
    r=$(roadmap 100)
    instr() {
        valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" "$@" 2>&1 >/dev/null |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    say "counting instructions on $n rows (callgrind)"
    rank_i=$(instr "$painmap" -r "$r" --threads 1 "${rank_args[@]}" "$f")
    wide_i=$(instr "$painmap" -r "$(roadmap 1000)" --threads 1 "${rank_args[@]}" "$f")
    floor_i=$(instr "$floor" "$f")
    instr_note=$(awk -v a="$rank_i" -v w="$wide_i" -v b="$floor_i" -v n="$n" 'BEGIN {
        printf "painmap rank %.0f per row, csv floor %.0f per row: %.1f× the floor'"'"'s work; with 1,000 features %.2f× the work of 100 (%s rows, --threads 1)", a / n, b / n, a / b, w / a, n }')
fi

echo
echo "| rows | features | CSV MB | csv floor s | painmap rank s | rank ÷ floor | peak RSS MB | --threads 1 = default |"
echo "|---:|---:|---:|---:|---:|---:|---:|:---:|"
printf '%s\n' "${table[@]}"
echo
echo "- 1,000 vs 100 features at $(rows_label "$wide") rows: $(awk -v a="$wide_secs" -v b="${rank_secs[$wide]}" 'BEGIN { printf "%.2f×", a / b }') the time."
if [[ $quick == 0 ]]; then
    last=${sizes[-1]}
    echo "- $(rows_label "$last") vs 1M rows: $(awk -v a="${rank_secs[$last]}" -v b="${rank_secs[1000000]}" 'BEGIN { printf "%.2f×", a / b }') the time for $(awk -v a="$last" 'BEGIN { printf "%g", a / 1e6 }')× the rows."
fi
echo "- instructions (callgrind): $instr_note."
echo "- start-up, \`painmap rank\` on the shipped example: $startup."
echo "- $(nproc) cores; medians of $runs runs; peak RSS is the largest of those runs."
