#!/bin/sh
# tests/stress/run.sh FAKE_BIN HOST_BIN STEPS SHIM_BIN - runs the stress
# program over the fake platform (several platform shapes, seeds and knobs)
# and over Linux (libtide.a; SHIM_BIN calls malloc & co. by their standard
# names), tide_check() after every step; ends with the summary.
fake=$1; host=$2; steps=$3; shim=$4
passed=0; failed=0

run() { # NAME "VAR=value ..." BIN SEED [OOM_OK]
    name=$1; vars=$2; bin=$3; seed=$4; oom=${5:-0}
    if out=$(env $vars timeout 120 "$bin" "$steps" "$seed" 1 "$oom" 2>&1); then
        echo "ok $name: $(echo "$out" | tail -n 1)"; passed=$((passed + 1))
    else
        echo "FAIL $name ($vars $bin $steps $seed 1 $oom):"; echo "$out" | tail -n 20
        failed=$((failed + 1))
    fi
}

run stress-fake-linux-like       ""                              "$fake" 1
run stress-fake-classic-profile  "TIDE_PROFILE=classic"          "$fake" 2
run stress-fake-mmap-only-dirty  "TIDE_FAKE=no_brk,dirty"        "$fake" 3
run stress-fake-no-purge-no-remap "TIDE_FAKE=no_purge,no_remap"  "$fake" 9
run stress-fake-64k-pages        "TIDE_FAKE=page=65536"          "$fake" 4
run stress-fake-brk-runs-out     "TIDE_FAKE=brk_limit=1048576"   "$fake" 5
run stress-fake-no-thread-cache  "TIDE_TCACHE_COUNT=0"           "$fake" 6
run stress-fake-everything-mmapped "TIDE_MMAP_THRESHOLD=4096"    "$fake" 7
run stress-fake-tight-memory-fails-cleanly "TIDE_FAKE=brk_limit=1500000,mmap_limit=5000000" "$fake" 10 1
run stress-fake-mmap-only-tight-memory "TIDE_FAKE=no_brk,mmap_limit=4000000,dirty" "$fake" 11 1
run stress-host-linux            ""                              "$host" 1
run stress-host-classic-profile  "TIDE_PROFILE=classic"          "$host" 8
run stress-shim-standard-names   ""                              "$shim" 12
run stress-shim-classic-profile  "TIDE_PROFILE=classic"          "$shim" 13
echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
