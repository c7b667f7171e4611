#!/usr/bin/env bash
# make bench: k1box against BusyBox (busybox-static), toybox and GNU coreutils, side by side in
# one run on the same inputs. A benchmark, not a test: it prints numbers and ratios and fails
# only when it cannot run. Ratios are k1box's time divided by the other's (below 1 = faster).
#
# Cases: exec-to-exit CPU of `true` (perf stat task-clock, many runs), cat of a 200 MB file to
# /dev/null and through a pipe, wc -l and wc -w of large text, head/tail of a large file,
# ls -lR of a big tree. Set BENCH_MB to change the file size, BENCH_RUNS the repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
k1=$top/out/k1box
[ -x "$k1" ] || { echo "bench: $k1 missing (make build)" >&2; exit 1; }

need=()
command -v busybox >/dev/null || need+=(busybox-static)
command -v toybox >/dev/null || need+=(toybox)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v perf >/dev/null || need+=(linux-perf)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "bench: needs: apt-get install ${need[*]}" >&2; exit 1
  fi
fi

work=${BENCH_DIR:-${TMPDIR:-/tmp}/k1os-bench}
mb=${BENCH_MB:-200}
runs=${BENCH_RUNS:-5}
mkdir -p "$work/bin"
for a in $("$k1" --list); do ln -sf "$k1" "$work/bin/$a"; done
K=$work/bin

# Inputs, made once and reused between runs.
big=$work/big-$mb.txt
if [ ! -f "$big" ]; then
  echo "bench: making $mb MB of text in $big" >&2
  python3 - "$big" "$mb" <<'PY'
import sys, random
random.seed(1)
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(1, 12))) for _ in range(5000)]
line = []
out = open(sys.argv[1], 'w')
target = int(sys.argv[2]) << 20
block = []
for i in range(20000):
    block.append(' '.join(random.choice(words) for _ in range(random.randint(0, 14))))
text = '\n'.join(block) + '\n'
n = 0
while n < target:
    out.write(text); n += len(text)
PY
fi
tree=$work/tree
if [ ! -d "$tree" ]; then
  echo "bench: making a tree of 20000 files in $tree" >&2
  python3 - "$tree" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    p = os.path.join(root, 'd%03d' % d, 'sub')
    os.makedirs(p)
    for f in range(100):
        with open(os.path.join(root, 'd%03d' % d, 'f%03d' % f), 'w') as fh: fh.write('x' * f)
        with open(os.path.join(p, 'g%03d' % f), 'w') as fh: fh.write('y' * d)
PY
fi

impls=(k1box busybox toybox gnu)
cmd_for() { # impl applet -> command prefix
  case $1 in
    k1box) echo "$K/$2" ;;
    busybox) echo "busybox $2" ;;
    toybox) echo "toybox $2" ;;
    gnu) echo "/usr/bin/$2" ;;
  esac
}

printf '%-28s' case; for i in "${impls[@]}"; do printf '%12s' "$i"; done
printf '%12s%12s\n' k1/bbox k1/gnu

row() { # name unit values...
  local name=$1 unit=$2; shift 2
  printf '%-28s' "$name"
  local v; for v in "$@"; do printf '%12s' "$v"; done
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
  printf '%12s%12s  (%s)\n' "$(ratio "$1" "$2")" "$(ratio "$1" "$4")" "$unit"
}

# exec-to-exit CPU: task-clock of the process itself, averaged over many runs.
exec_cpu() {
  perf stat -r "${BENCH_EXEC_RUNS:-500}" -x, -e task-clock $1 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.0f", $1 * 1000 }'
}
vals=()
for i in "${impls[@]}"; do vals+=("$(exec_cpu "$(cmd_for "$i" true)")"); done
row "exec true (CPU)" "us per run" "${vals[@]}"

# Wall-clock mean in ms of a shell command line, hyperfine.
wall() {
  local json; json=$(mktemp)
  hyperfine -N --style none --warmup 1 --runs "$runs" --output "${2:-null}" --export-json "$json" "$1" >/dev/null 2>&1 \
    || hyperfine --style none --warmup 1 --runs "$runs" --output "${2:-null}" --export-json "$json" "$1" >/dev/null 2>&1 \
    || { echo -; rm -f "$json"; return; }
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$json"
  rm -f "$json"
}
case_wall() { # name applet args output
  local name=$1 applet=$2 args=$3 out=${4:-null}; vals=()
  for i in "${impls[@]}"; do vals+=("$(wall "$(cmd_for "$i" "$applet") $args" "$out")"); done
  row "$name" "ms" "${vals[@]}"
}
case_wall "cat ${mb}MB > /dev/null" cat "$big"
case_wall "cat ${mb}MB | pipe" cat "$big" pipe
case_wall "wc -l ${mb}MB" wc "-l $big"
case_wall "wc -w ${mb}MB" wc "-w $big"
case_wall "head -n 1000000" head "-n 1000000 $big" pipe
case_wall "tail -n 1000000" tail "-n 1000000 $big" pipe
case_wall "ls -lR 20k files" ls "-lR $tree" pipe

# The shell: k1box sh against dash, BusyBox ash and bash on the same scripts.
shells=(k1box dash busybox bash)
sh_for() {
  case $1 in
    k1box) echo "$K/sh" ;;
    dash) echo "/bin/dash" ;;
    busybox) echo "busybox ash" ;;
    bash) echo "/bin/bash --norc --noprofile" ;;
  esac
}
scripts=$work/sh
mkdir -p "$scripts"
cat > "$scripts/arith.sh" <<'SH'
i=0; n=0
while [ $i -lt 1000000 ]; do n=$((n + i * 2 % 7)); i=$((i + 1)); done
echo $n
SH
cat > "$scripts/strings.sh" <<'SH'
s=; i=0
while [ $i -lt 100000 ]; do
  x="path/to/file$i.tar.gz"; b=${x##*/}; e=${b%%.*}; s=${#e}; i=$((i + 1))
done
echo $s
SH
cat > "$scripts/funcs.sh" <<'SH'
f() { r=$(( $1 + 1 )); }
i=0
while [ $i -lt 200000 ]; do f $i; i=$r; done
echo $i
SH
cat > "$scripts/applets.sh" <<'SH'
i=0
while [ $i -lt 1000 ]; do true; basename /usr/lib/x.so .so >/dev/null; i=$((i + 1)); done
SH
cat > "$scripts/configure.sh" <<'SH'
# A configure-like script: feature tests with applets, case, functions and here-documents.
d=${TMPDIR:-/tmp}/k1os-bench-conf.$$
mkdir -p "$d"
check() { printf 'checking for %s... ' "$1" >> "$d/log"; if test -n "$2"; then echo yes >> "$d/log"; else echo no >> "$d/log"; fi; }
i=0
while [ $i -lt 300 ]; do
  name=$(basename "/usr/include/h$i.h" .h)
  case $name in h*[05]) check "$name" 1 ;; *) check "$name" "" ;; esac
  cat > "$d/conf.h" <<EOF2
#define HAVE_$name 1
EOF2
  i=$((i + 1))
done
wc -l < "$d/log" >/dev/null
rm -rf "$d"
SH
echo
printf '%-28s' "shell case"; for s in k1box-sh dash bbox-ash bash; do printf '%12s' "$s"; done
printf '%12s%12s\n' k1/dash k1/bash
vals=()
for s in "${shells[@]}"; do vals+=("$(wall "$(sh_for "$s") -c :")"); done
row "sh -c : (startup)" "ms" "${vals[@]}"
for c in arith strings funcs applets configure; do
  vals=()
  for s in "${shells[@]}"; do vals+=("$(PATH=$K:$PATH wall "$(sh_for "$s") $scripts/$c.sh")"); done
  row "sh $c.sh" "ms" "${vals[@]}"
done
