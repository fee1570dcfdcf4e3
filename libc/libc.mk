# libc/libc.mk - our freestanding static C library (libc.a + crt0) for the
# ring-3 programs of our kernel; the same binaries run natively on Linux.
# Also: the rules that build a test program or a demo against it, and the
# libc's own tests (tests/libc/) and the demos (tests/demos/).
#
#   LIBC_A LIBC_CRT0      the library and the start-up object
#   LIBC_CFLAGS           compile a user program against our headers
#   LIBC_LDFLAGS          link it (static, non-PIE, at 0x400000)
#   LIBC_LINK             what goes after the objects: libc.a and libgcc

# $(CC)/$(AR) can be empty in recipes (MAKEFLAGS -rR drops make's defaults
# after this file is read): capture them now, with a fallback.
LIBC_CC := $(if $(CC),$(CC),gcc)
LIBC_AR := $(if $(AR),$(AR),ar)

LIBC_A    := $(BUILD)/libc/libc.a
LIBC_CRT0 := $(BUILD)/libc/crt0.o
LIBC_CFLAGS := -ffreestanding -nostdinc -isystem libc/include \
    -isystem $(shell $(LIBC_CC) -print-file-name=include) \
    -fno-pic -fno-pie -fno-stack-protector
# -static already means non-PIE; clang warns that -no-pie is then unused.
LIBC_NOPIE := $(if $(findstring clang,$(shell $(LIBC_CC) --version 2>/dev/null)),,-no-pie)
LIBC_LDFLAGS := -nostdlib -static $(LIBC_NOPIE) -Wl,-Ttext-segment=0x400000 \
    -Wl,-z,noexecstack -Wl,--build-id=none
LIBC_LINK := -Wl,--start-group $(LIBC_A) -lgcc -Wl,--end-group

# gcc turns byte loops into calls to memset/memcpy; inside memset that is
# infinite recursion. clang has no such flag (and no such pass by default).
LIBC_NOLOOPCALLS := $(shell $(LIBC_CC) -fno-tree-loop-distribute-patterns -E -x c /dev/null \
    >/dev/null 2>&1 && echo -fno-tree-loop-distribute-patterns)
LIBC_OWN_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) $(LIBC_CFLAGS) -fno-builtin \
    $(LIBC_NOLOOPCALLS) -Iallocator -MMD -MP

LIBC_SRCS := $(wildcard libc/src/*.c)
LIBC_OBJS := $(LIBC_SRCS:libc/src/%.c=$(BUILD)/libc/%.o)
# The allocator core, compiled again for static non-PIC programs; its
# platform layer is libc/src/tide_sys.c.
LIBC_CORE_OBJS := $(CORE_SRCS:allocator/%.c=$(BUILD)/libc/core/%.o)

ALL_TARGETS += $(LIBC_A) $(LIBC_CRT0)

$(BUILD)/libc/%.o: libc/src/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(LIBC_CC) $(LIBC_OWN_CFLAGS) -c $< -o $@

$(BUILD)/libc/core/%.o: allocator/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(LIBC_CC) $(CFLAGS) $(WARN) $(CORE_BASE_CFLAGS) $(LIBC_CFLAGS) -Iallocator -MMD -MP -c $< -o $@

$(LIBC_CRT0): libc/src/crt0.S
	@mkdir -p $(@D)
	$(LIBC_CC) $(LIBC_CFLAGS) -c $< -o $@

$(LIBC_A): $(LIBC_OBJS) $(LIBC_CORE_OBJS)
	@rm -f $@
	$(LIBC_AR) rcs $@ $^

# A user program: one C file, linked with crt0, libc.a and libgcc.
LIBC_PROG_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) $(LIBC_CFLAGS) \
    -Iallocator -MMD -MP
define libc-link-prog
	@mkdir -p $(@D)
	$(LIBC_CC) $(LIBC_PROG_CFLAGS) $(LIBC_LDFLAGS) -o $@ $(LIBC_CRT0) $< $(LIBC_LINK)
endef

$(BUILD)/progs/%.elf: tests/progs/%.c $(LIBC_A) $(LIBC_CRT0)
	$(libc-link-prog)

# A demo: one C file plus the demos' helper library (tests/demos/lib/).
DEMO_LIB_OBJ := $(BUILD)/demos/lib/demo.o
$(DEMO_LIB_OBJ): tests/demos/lib/demo.c
	@mkdir -p $(@D)
	$(LIBC_CC) $(LIBC_PROG_CFLAGS) -c $< -o $@

$(BUILD)/demos/%.elf: tests/demos/%.c $(DEMO_LIB_OBJ) $(LIBC_A) $(LIBC_CRT0)
	@mkdir -p $(@D)
	$(LIBC_CC) $(LIBC_PROG_CFLAGS) -Itests/demos/lib $(LIBC_LDFLAGS) -o $@ $(LIBC_CRT0) $< \
	    $(DEMO_LIB_OBJ) $(LIBC_LINK)

# ---- tests: tests/libc/ on Linux ----------------------------------------
# table.c is built twice (glibc, ours) and the outputs compared group by
# group; unit.c checks what only our libc can (start-up, exits, errno).
TEST_SUITES += libc
LIBC_TEST_DIR := $(BUILD)/libc-tests
LIBC_CONTRACT := $(LIBC_TEST_DIR)/contract.elf
LIBC_TEST_BINS := $(LIBC_TEST_DIR)/table.elf $(LIBC_TEST_DIR)/table.glibc \
    $(LIBC_TEST_DIR)/unit.elf $(LIBC_CONTRACT)

$(LIBC_TEST_DIR)/%.elf: tests/libc/%.c $(LIBC_A) $(LIBC_CRT0)
	$(libc-link-prog)

# The reference: the same table against glibc, builtins off so that gcc
# does not compute results at compile time.
$(LIBC_TEST_DIR)/%.glibc: tests/libc/%.c
	@mkdir -p $(@D)
	$(LIBC_CC) -std=gnu11 $(CFLAGS) $(WARN) -fno-builtin -MMD -MP -o $@ $<

.PHONY: test-libc
test-libc: $(LIBC_TEST_BINS)
	@python3 tests/libc/run.py $(LIBC_TEST_DIR)

# ---- the seeds' demos: tests/demos/sN.c ------------------------------------
# One program per claim of ../shared/SEEDS.md, built once (static, our
# libc) and run on Linux (`make demo`, `make demo DEMO=s7`) and on our
# kernel: DEMO_PROGS, in order, is added to the kernel's RUN_PROGS.
DEMO_NAMES := s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12 s13 s14
DEMO_PROGS := $(DEMO_NAMES:%=$(BUILD)/demos/%.elf)
RUN_PROGS += $(DEMO_PROGS)
TEST_SUITES += demos

.PHONY: demo test-demos
demo: $(DEMO_PROGS)
	@python3 tests/demos/run.py show $(BUILD)/demos $(if $(DEMO),$(DEMO),$(DEMO_NAMES))

test-demos: $(DEMO_PROGS)
	@python3 tests/demos/run.py test $(BUILD)/demos $(DEMO_NAMES)

# ---- the heap picture tool ----------------------------------------------
TEST_SUITES += heapsvg
.PHONY: test-heapsvg
test-heapsvg: $(BUILD)/demos/s11.elf
	@python3 tools/heapsvg_test.py $(BUILD)/demos/s11.elf

# The same demos inside our kernel (one boot, every demo a module), and the
# port contract (tests/libc/contract.c): each checks the same relations
# there; heap pictures in build/demos/kernel/.
# `make demo-kernel` (DEMO=s7 for one) is `make demo` inside our kernel.
ifneq ($(wildcard kernel/kernel.mk),)
TEST_SUITES += demos-kernel
.PHONY: test-demos-kernel demo-kernel
demo-kernel: qemu-installed $(KERNEL_ELF) $(DEMO_PROGS)
	@python3 tests/demos/run.py kernel-show $(BUILD)/demos $(if $(DEMO),$(DEMO),$(DEMO_NAMES)) -- \
	    $(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL_ELF)

test-demos-kernel: qemu-installed $(KERNEL_ELF) $(DEMO_PROGS) $(LIBC_CONTRACT)
	@python3 tests/demos/run.py kernel $(BUILD)/demos $(DEMO_NAMES) $(LIBC_CONTRACT) -- \
	    $(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL_ELF)
endif
