#!/bin/sh
# tests/preload/run.sh LIBTIDE_SO PROBE_SO KNOBS - real programs (python3,
# perl, sqlite3, git, gcc) run with LD_PRELOAD=libtide.so must print what
# they print without it; a probe proves every process (children included)
# got malloc and free from libtide.so; the TIDE_* knobs take effect.
so=$(realpath "$1"); probe=$(realpath "$2"); knobs=$(realpath "$3")
passed=0; failed=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export TIDE_PROBE_LOG="$work/probe.log"

ok()   { echo "ok $1"; passed=$((passed + 1)); }
bad()  { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# Every process the probe saw since the last reset used libtide.so.
probe_all_tide() {
    [ -s "$TIDE_PROBE_LOG" ] || { echo "no process loaded the probe"; return 1; }
    if grep -v "tide=$so malloc=tide free=tide" "$TIDE_PROBE_LOG"; then return 1; fi
    return 0
}

# compare NAME COMMAND...: same output with and without tide, all processes tide.
compare() {
    name=$1; shift
    want=$("$@" 2>&1) || { bad "$name" "fails even without tide"; return; }
    : > "$TIDE_PROBE_LOG"
    got=$(export LD_PRELOAD="$so:$probe"; "$@" 2>&1); rc=$?
    if [ $rc -ne 0 ]; then bad "$name" "exit $rc: $(echo "$got" | tail -n 3)"
    elif [ "$got" != "$want" ]; then bad "$name" "output differs: '$(echo "$got" | head -c 200)' vs '$(echo "$want" | head -c 200)'"
    elif ! why=$(probe_all_tide); then bad "$name" "a process did not use tide: $why"
    else ok "$name"; fi
}

compare python3-json-and-hashes /usr/bin/python3 -c '
import json, hashlib, collections
d = [{"k": i, "v": str(i) * (i % 50), "l": list(range(i % 30))} for i in range(100000)]
s = json.dumps(d); back = json.loads(s)
c = collections.Counter(len(x["v"]) for x in back)
b = bytearray(); [b.extend(x["v"].encode()) for x in back[:5000]]
print(hashlib.sha256(s.encode()).hexdigest(), len(back), c.most_common(3), len(b))'

# Threads freeing each other's objects, then worker processes made by fork.
compare python3-threads-and-fork /usr/bin/python3 -c '
import threading, queue, multiprocessing as mp, hashlib
q = queue.Queue(maxsize=256); out = []
def make(n):
    for i in range(n): q.put({"i": i, "s": "x" * (i % 500), "l": [i] * (i % 20)})
    q.put(None)
def eat():
    total = 0
    while True:
        d = q.get()
        if d is None: break
        total += len(d["s"]) + len(d["l"])
    out.append(total)
ts = [threading.Thread(target=make, args=(40000,)), threading.Thread(target=eat)]
[t.start() for t in ts]; [t.join() for t in ts]
def work(k): return hashlib.sha256(("".join(str(i) for i in range(k * 1000))).encode()).hexdigest()[:12]
with mp.get_context("fork").Pool(4) as pool: hs = pool.map(work, range(1, 17))
print(out, hs)'

compare perl-hashes-and-strings perl -e '
my %h; $h{"key$_"} = "x" x ($_ % 300) for 1 .. 200000;
my $s = 0; $s += length($h{$_}) for keys %h; delete $h{"key$_"} for 1 .. 100000;
my @a = map { [$_, "y" x ($_ % 40)] } 1 .. 100000; my $j = join(",", map { $_->[1] } @a);
print "$s ", scalar(keys %h), " ", length($j), "\n";'

compare sqlite3-insert-index-query sqlite3 ":memory:" "
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO t SELECT x, printf('name-%d-%s', x, hex(x * 7919)), x * 0.5 FROM c;
CREATE INDEX t_name ON t(name);
SELECT count(*), sum(v), max(length(name)) FROM t WHERE name LIKE 'name-1%';
SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY name DESC LIMIT 5);"

# git: the same repository content gives the same tree and the repo is sound.
git_run() {
    repo=$work/repo-$1; rm -rf "$repo"; mkdir -p "$repo"; cd "$repo" || return 1
    git init -q . && git config user.email t@t && git config user.name t || return 1
    i=0; while [ $i -lt 300 ]; do
        seq $i $((i * 40)) > "f$i.txt"; i=$((i + 1)); done
    git add . && git commit -qm one && sed -i 's/1/one/' f1*.txt && git commit -qam two &&
        git gc -q && git fsck --strict 2>&1 && git rev-parse HEAD^{tree} HEAD~1^{tree} &&
        git diff --stat HEAD~1 | tail -n 1
}
compare git-commit-gc-fsck git_run x

# gcc: compile a program (cc1, as, collect2, ld all preloaded) and run it.
gcc_run() {
    cat > "$work/hello.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct node { struct node *next; char s[40]; };
int main(void) {
    struct node *h = NULL; unsigned long sum = 0;
    for (int i = 0; i < 10000; i++) { struct node *n = malloc(sizeof *n);
        snprintf(n->s, sizeof n->s, "n%d", i); n->next = h; h = n; }
    while (h) { struct node *n = h->next; sum += strlen(h->s); free(h); h = n; }
    printf("sum=%lu\n", sum); return 0; }
C
    gcc -O2 -Wall -o "$work/hello-$1" "$work/hello.c" && "$work/hello-$1"
}
compare gcc-compiles-and-runs gcc_run x

# C++: operator new/delete reach malloc/free (cc1plus preloaded too), and
# the program's containers run over tide.
gxx_run() {
    cat > "$work/map.cc" <<'CC'
#include <cstdio>
#include <map>
#include <string>
#include <vector>
#include <memory>
int main() {
    std::map<std::string, std::vector<int>> m;
    for (int i = 0; i < 50000; i++) m["k" + std::to_string(i % 7000)].push_back(i);
    std::vector<std::unique_ptr<std::string>> v;
    for (int i = 0; i < 100000; i++) v.emplace_back(new std::string(i % 300, 'x'));
    size_t total = 0; for (auto &s : v) total += s->size();
    printf("%zu %zu %zu\n", m.size(), m["k42"].size(), total);
}
CC
    g++ -O2 -o "$work/map-$1" "$work/map.cc" && "$work/map-$1"
}
command -v g++ >/dev/null && compare gxx-compiles-and-runs-cxx gxx_run x

# Text tools over a few megabytes.
tools_run() {
    seq 1 300000 | awk '{ print ($1 * 7919) % 100003, $1 }' | sort -n | gzip -c | xz -c | xz -dc | gzip -dc |
        sort -k2,2n | awk '{ s += $1 } END { print NR, s }'
}
compare sort-awk-gzip-xz-pipeline tools_run

# The probe saw the compiler's own children, not only the driver.
: > "$TIDE_PROBE_LOG"
LD_PRELOAD="$so:$probe" gcc -O2 -c -o "$work/o.o" "$work/hello.c" >/dev/null 2>&1
if grep -q "/cc1 tide=" "$TIDE_PROBE_LOG" && grep -Eq "[/-]as tide=" "$TIDE_PROBE_LOG" && probe_all_tide >/dev/null; then
    ok preload-reaches-compiler-children
else
    bad preload-reaches-compiler-children "probe log: $(tr '\n' ';' < "$TIDE_PROBE_LOG")"
fi

# knob NAME ENV EXPECTED-SUBSTRING
knob() {
    out=$(env $2 LD_PRELOAD="$so" "$knobs" 2>&1)
    case "$out" in *"$3"*) ok "$1" ;; *) bad "$1" "with $2 expected '$3' in '$out'" ;; esac
}
knob env-mmap-threshold-raised   TIDE_MMAP_THRESHOLD=1048576 "threshold=1048576 "
knob env-mmap-threshold-keeps-200k-in-heap TIDE_MMAP_THRESHOLD=1048576 "hblks_200k=0"
knob env-mmap-threshold-lowered  TIDE_MMAP_THRESHOLD=65536 "threshold=65536 "
knob env-default-200k-is-mmapped X=1 "hblks_200k=1"
knob env-trim-threshold          TIDE_TRIM_THRESHOLD=4194304 "trim=4194304 "
knob env-top-pad                 TIDE_TOP_PAD=1048576 "top_pad=1048576 "
knob env-mmap-max-zero           TIDE_MMAP_MAX=0 "hblks_200k=0"
knob env-profile-classic         TIDE_PROFILE=classic "threshold=131072 trim=131072 top_pad=131072 "

echo "preload: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
