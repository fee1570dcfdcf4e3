# tests/tests.mk - the hosted test suites of the allocator: unit (cmocka over
# the fake platform), stress (shadow model, over the fake and over Linux),
# threads (cross-thread frees, fork), shim (the standard names on Linux:
# errno, error codes, aborts), preload (real programs under
# LD_PRELOAD), symbols (the freestanding rule), install (make install +
# pkg-config). Each test-NAME target ends with "NAME: N passed, M failed".
#
# One test by hand: build/tests/unit/unit 'calloc-*' (fnmatch pattern);
# TIDE_FAKE=no_brk,dirty build/tests/stress/stress-fake STEPS SEED CHECK_EVERY;
# build/tests/threads/threads NAME; build/tests/threads/shim.

TEST_BUILD  := $(BUILD)/tests
TEST_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -Iallocator -Itests/fake -MMD -MP -DTIDE_DEBUG=$(DEBUG)

.PHONY: tests-deps test-unit test-stress test-threads test-shim test-preload test-symbols test-install
TEST_SUITES += unit stress threads shim preload symbols install

# Packages the suites need; `make test` installs what is missing (as root).
TESTS_PACKAGES := libcmocka-dev pkg-config python3 perl sqlite3 git gcc xz-utils
deps-test: tests-deps
tests-deps:
	@$(NEED) $(TESTS_PACKAGES)

$(TEST_BUILD)/%.o: tests/%.c $(BUILD_FLAGS) | tests-deps
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

# Programs that call malloc and free by their standard names: without
# -fno-builtin gcc may drop a malloc/free pair whose block does not escape,
# and the test would watch nothing.
$(TEST_BUILD)/threads/%.o $(TEST_BUILD)/preload/%.o: TEST_CFLAGS += -fno-builtin

# ---- the fake platform ------------------------------------------------------
FAKE_OBJS := $(TEST_BUILD)/fake/fake_sys.o

# ---- unit: cmocka, one file per concern, linked with the core and the fake ----
UNIT_OBJS := $(patsubst tests/%.c,$(TEST_BUILD)/%.o,$(wildcard tests/unit/*.c))
UNIT_BIN  := $(TEST_BUILD)/unit/unit

$(UNIT_BIN): $(UNIT_OBJS) $(FAKE_OBJS) $(CORE_OBJS)
	$(CC) -o $@ $^ -lcmocka

# A hung core must not hang `make test`: five minutes at most (fifteen
# with DEBUG=2, whose heap check after every slow call makes it slow).
UNIT_SECONDS := $(if $(filter 2,$(DEBUG)),900,300)
test-unit: $(UNIT_BIN)
	@timeout $(UNIT_SECONDS) $(UNIT_BIN) || { rc=$$?; [ $$rc -eq 124 ] && echo "unit: timed out"; exit $$rc; }

# ---- stress: the same program over the fake (three platforms) and Linux ----
STRESS_FAKE := $(TEST_BUILD)/stress/stress-fake
STRESS_HOST := $(TEST_BUILD)/stress/stress-host
STRESS_STEPS ?= 10000

$(STRESS_FAKE): $(TEST_BUILD)/stress/stress.o $(FAKE_OBJS) $(CORE_OBJS)
	$(CC) -o $@ $^

$(STRESS_HOST): $(TEST_BUILD)/stress/stress.o $(LIBTIDE_A)
	$(CC) -o $@ $^ -lpthread

# The same program calling the standard names, so the shim's own inline
# fast paths (host/shim.c) get the shadow model and the checker too.
STRESS_SHIM := $(TEST_BUILD)/stress/stress-shim
STRESS_AS_STANDARD := -fno-builtin $(foreach f,malloc free calloc realloc aligned_alloc \
    posix_memalign memalign malloc_usable_size free_sized malloc_trim,-Dtide_$(f)=$(f))

$(TEST_BUILD)/stress/stress-shim.o: tests/stress/stress.c $(BUILD_FLAGS) | tests-deps
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(STRESS_AS_STANDARD) -c $< -o $@

$(STRESS_SHIM): $(TEST_BUILD)/stress/stress-shim.o $(LIBTIDE_A)
	$(CC) -o $@ $^ -lpthread

test-stress: $(STRESS_FAKE) $(STRESS_HOST) $(STRESS_SHIM)
	@tests/stress/run.sh $(STRESS_FAKE) $(STRESS_HOST) $(STRESS_STEPS) $(STRESS_SHIM)

# ---- threads: libtide.a linked in, so malloc and free are tide's -------------
THREADS_BIN := $(TEST_BUILD)/threads/threads

$(THREADS_BIN): $(TEST_BUILD)/threads/threads.o $(TEST_BUILD)/threads/forks.o \
                $(TEST_BUILD)/threads/main.o $(LIBTIDE_A)
	$(CC) -o $@ $^ -lpthread

test-threads: $(THREADS_BIN)
	@timeout 300 $(THREADS_BIN)

# ---- shim: the Linux port through the standard names -------------------------
SHIM_BIN := $(TEST_BUILD)/threads/shim

$(SHIM_BIN): $(TEST_BUILD)/threads/shim.o $(LIBTIDE_A)
	$(CC) -o $@ $^ -lpthread

test-shim: $(SHIM_BIN)
	@timeout 120 $(SHIM_BIN)

# ---- preload: real programs with LD_PRELOAD=libtide.so ------------------------
PRELOAD_PROBE := $(TEST_BUILD)/preload/probe.so
PRELOAD_KNOBS := $(TEST_BUILD)/preload/knobs

$(PRELOAD_PROBE): tests/preload/probe.c | tests-deps
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -fPIC -shared -o $@ $< -ldl

$(PRELOAD_KNOBS): $(TEST_BUILD)/preload/knobs.o
	$(CC) -o $@ $^ -ldl

test-preload: $(LIBTIDE_SO) $(PRELOAD_PROBE) $(PRELOAD_KNOBS)
	@timeout 600 tests/preload/run.sh $(LIBTIDE_SO) $(PRELOAD_PROBE) $(PRELOAD_KNOBS)

# ---- symbols: the core is freestanding, the shim exports every entry point --
test-symbols: $(CORE_OBJS) $(LIBTIDE_SO) $(LIBTIDE_A)
	@tests/symbols/check.sh "$(CC)" $(LIBTIDE_SO) $(LIBTIDE_A) $(CORE_OBJS)

# ---- install: make install DESTDIR=... PREFIX=/usr, then pkg-config ----------
test-install: $(LIBTIDE_SO) $(LIBTIDE_A)
	@tests/install/run.sh "$(MAKE)" $(TEST_BUILD)/install
