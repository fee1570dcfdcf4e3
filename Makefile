# tide - top-level Makefile (GNU make). One make, no recursion; each folder
# adds its own rules in a fragment (allocator/allocator.mk, host/host.mk, ...).
#
#   make            build/libtide.so and build/libtide.a
#   make test       every test suite (installs missing packages as root)
#   make run        boot the kernel in QEMU and show the demo
#   make debug      the same, QEMU waiting for gdb
#   make bench      benchmarks against glibc, jemalloc, tcmalloc, mimalloc
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# Overridable: CC, CFLAGS, OPT, DEBUG (0: cheap checks only, 1: + debug
# assertions, 2: + a full heap check after every operation), QEMU, PREFIX.

# No built-in rules (every rule is written out here). Built-in variables
# stay: CC and AR default to cc and ar and can be overridden as usual.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.DELETE_ON_ERROR:

OPT     ?= -O2
DEBUG   ?= 0
CFLAGS  ?= $(OPT) -g
WARN    := -Wall -Wextra
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   := build
NEED    := tools/need

# The settings every object depends on, in a file rewritten only when they
# change: `make DEBUG=2 test` after a plain `make` rebuilds everything with
# the debug checks instead of linking the objects it finds (make compares
# times, not flags). Each compile rule lists $(BUILD_FLAGS).
BUILD_FLAGS := $(BUILD)/flags
$(shell mkdir -p $(BUILD); f='$(CC) $(CFLAGS) DEBUG=$(DEBUG)'; \
    [ "$$(cat $(BUILD_FLAGS) 2>/dev/null)" = "$$f" ] || echo "$$f" > $(BUILD_FLAGS))

# Each fragment appends the names of its suites; `make test` runs
# `make test-NAME` for each and adds up their "N passed, M failed" lines.
TEST_SUITES :=

.PHONY: all test run debug bench install clean deps-test
all:

include allocator/allocator.mk
include host/host.mk
-include tests/tests.mk
-include libc/libc.mk
-include kernel/kernel.mk
-include bench/bench.mk

all: $(ALL_TARGETS)

test: deps-test all
	+@MAKE="$(MAKE)" tools/run-tests $(TEST_SUITES)

# The kernel fragment defines them: boot QEMU and run the demos.
run: run-kernel
debug: debug-kernel

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
