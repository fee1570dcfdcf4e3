# bench/bench.mk - the benchmark suite (not tests: timings never pass or
# fail). Builds the workload programs and the preload probe under
# build/bench/, then bench/run times them under each allocator.
#
#   make bench              every workload, all allocators, a few minutes
#   make bench QUICK=1      smaller scales, fewer runs: about a minute
#   make bench-callgrind    instructions per malloc+free pair (valgrind)
#   make bench-cachegrind   every workload under cachegrind: instructions and
#                           simulated cache misses (repeatable; ~10 minutes)
#   BENCH_ARGS="--only churn,pairs --alloc glibc,tide"   passed to bench/run

BENCH_PROGS  := pairs churn larson prodcons realloc large frag
BENCH_BINS   := $(BENCH_PROGS:%=$(BUILD)/bench/%)
BENCH_PROBE  := $(BUILD)/bench/probe.so
LAB_PROGS    := uniform patterns
BENCH_LAB    := $(BUILD)/bench/order.so $(LAB_PROGS:%=$(BUILD)/bench/%)
BENCH_COMMON := $(BUILD)/bench/bench.o $(BUILD)/bench/whoami.o
# -fno-builtin-*: the compiler may otherwise drop a malloc whose block is
# never used, and a benchmark of malloc must call it. -fPIC: the same
# objects go into the probe library.
BENCH_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -fPIC -pthread -MMD -MP \
    -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc
BENCH_PKGS   := libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0 python3 perl sqlite3

.PHONY: bench bench-callgrind bench-cachegrind bench-build bench-deps

bench-build: $(BENCH_BINS) $(BENCH_PROBE) $(BENCH_LAB)

bench-deps:
	@$(NEED) $(BENCH_PKGS)

bench: bench-deps bench-build $(LIBTIDE_SO)
	bench/run --build $(BUILD) $(if $(QUICK),--quick) $(BENCH_ARGS)

bench-callgrind: bench-deps bench-build $(LIBTIDE_SO)
	@$(NEED) valgrind
	bench/run --build $(BUILD) --callgrind $(BENCH_ARGS)

bench-cachegrind: bench-deps bench-build $(LIBTIDE_SO)
	@$(NEED) valgrind
	bench/run --build $(BUILD) --cachegrind $(BENCH_ARGS)

$(BUILD)/bench/%.o: bench/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_BINS): $(BUILD)/bench/%: $(BUILD)/bench/%.o $(BENCH_COMMON)
	$(CC) -pthread -o $@ $^ -ldl

$(BENCH_PROBE): $(BUILD)/bench/probe.o $(BENCH_COMMON)
	$(CC) -shared -o $@ $^ -ldl

# The reuse-order experiment (bench/lab/order.c; docs/BENCH.md says what
# it showed). -fno-builtin: it is a malloc, and must not call itself.
$(BUILD)/bench/order.so: bench/lab/order.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(WARN) -fPIC -fno-builtin -shared -o $@ $< -ldl

# Programs for experiments by hand, outside the timed suite: a private
# churn of every size up to 1 KiB (bench/lab/uniform.c, the case behind
# the thread cache's extra budget) and patterns the suite does not cover
# (bench/lab/patterns.c). docs/BENCH.md says what they showed.
$(LAB_PROGS:%=$(BUILD)/bench/%): $(BUILD)/bench/%: bench/lab/%.c $(BENCH_COMMON)
	$(CC) $(BENCH_CFLAGS) -Ibench -o $@ $< $(BENCH_COMMON) -ldl
