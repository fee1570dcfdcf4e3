#!/bin/sh
# tests/stress/run.sh FAKE_BIN HOST_BIN STEPS - runs the stress program over
# the fake platform (three platform shapes, two seeds) and over Linux
# (libtide.a), tide_check() after every step; ends with the summary line.
fake=$1; host=$2; steps=$3
passed=0; failed=0

run() { # NAME ENV BIN SEED
    name=$1; env=$2; bin=$3; seed=$4
    if out=$(env TIDE_FAKE="$env" timeout 120 "$bin" "$steps" "$seed" 1 2>&1); then
        echo "ok $name: $(echo "$out" | tail -n 1)"; passed=$((passed + 1))
    else
        echo "FAIL $name (TIDE_FAKE=$env $bin $steps $seed 1):"; echo "$out" | tail -n 20
        failed=$((failed + 1))
    fi
}

run stress-fake-linux-like ""              "$fake" 1
run stress-fake-seed-2     ""              "$fake" 2
run stress-fake-mmap-only-dirty "no_brk,dirty" "$fake" 3
run stress-fake-16k-pages  "page=16384"    "$fake" 4
run stress-fake-brk-runs-out "brk_limit=1048576" "$fake" 5
run stress-host-linux      ""              "$host" 1
run stress-host-seed-7     ""              "$host" 7
echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
