# kernel/kernel.mk - the x86-64 kernel (build/kernel/kernel.elf), `make run`
# and `make debug` (QEMU, TCG by default), and the kernel test suite.
#
#   make run                 boot and run every program in RUN_PROGS
#   make run DEMO=name       boot and run build/progs/name.elf only
#   make debug               the same, QEMU waiting for gdb on :1234
#   make test-kernel         the kernel tests (also part of `make test`)
#   make bench-kernel        page-fault and syscall cost, kernel vs Linux
# Overridable: QEMU, QEMU_ACCEL (tcg | kvm), QEMU_MEM, KERNEL_ENV (words of
# the kernel command line: NAME=VALUE goes into every program's environment;
# kernel.tracefaults=N prints the first N page faults of each program and
# kernel.tracemem=1 every brk/mmap/munmap/mprotect/madvise call).

KERNEL_ELF   := $(BUILD)/kernel/kernel.elf
KERNEL_CSRCS := $(wildcard kernel/*.c)
KERNEL_SSRCS := $(wildcard kernel/*.S)
KERNEL_OBJS  := $(KERNEL_CSRCS:kernel/%.c=$(BUILD)/kernel/%.o) \
                $(KERNEL_SSRCS:kernel/%.S=$(BUILD)/kernel/%.S.o)
KERNEL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -ffreestanding -fno-pic -fno-pie \
    -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-stack-protector \
    -fno-asynchronous-unwind-tables -fno-builtin -nostdlib -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
    --no-warn-rwx-segments -T kernel/kernel.ld

QEMU       ?= qemu-system-x86_64
QEMU_ACCEL ?= tcg
QEMU_MEM   ?= 128M
QEMU_FLAGS  = -M microvm -nodefaults -m $(QEMU_MEM) -display none -monitor none \
    -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -accel $(QEMU_ACCEL)

ALL_TARGETS += $(KERNEL_ELF)

$(BUILD)/kernel/%.o: kernel/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/kernel.ld
	ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

.PHONY: kernel
kernel: $(KERNEL_ELF)

# ---- programs for the kernel ----------------------------------------------
# tests/kernel/NAME.c: ring-3 programs only meaningful on our kernel;
# tests/progs/NAME.c (rule in libc/libc.mk): programs run on Linux too.
KTEST_DIR   := $(BUILD)/kernel-tests
KTEST_PROGS := $(patsubst tests/kernel/%.c,$(KTEST_DIR)/%.elf,$(wildcard tests/kernel/*.c))
KPROGS      := $(patsubst tests/progs/%.c,$(BUILD)/progs/%.elf,$(wildcard tests/progs/*.c))

$(KTEST_DIR)/%.elf: tests/kernel/%.c $(LIBC_A) $(LIBC_CRT0)
	@mkdir -p $(@D)
	$(CC) $(LIBC_PROG_CFLAGS) -Itests/progs $(LIBC_LDFLAGS) -o $@ $(LIBC_CRT0) $< $(LIBC_LINK)

# ---- make run / make debug -------------------------------------------------
# Programs `make run` boots, in order: the demand-paging demo first, then
# whatever other fragments add (+=, before or after this one).
RUN_PROGS := $(BUILD)/progs/demand-paging.elf $(RUN_PROGS)
comma := ,
empty :=
space := $(empty) $(empty)
# DEMO=name picks one program: a demo, a test program, or a kernel test.
RUN_LIST = $(if $(DEMO),$(or \
    $(patsubst tests/demos/%.c,$(BUILD)/demos/%.elf,$(wildcard tests/demos/$(DEMO).c)), \
    $(patsubst tests/progs/%.c,$(BUILD)/progs/%.elf,$(wildcard tests/progs/$(DEMO).c)), \
    $(patsubst tests/kernel/%.c,$(KTEST_DIR)/%.elf,$(wildcard tests/kernel/$(DEMO).c)), \
    $(error DEMO=$(DEMO): no tests/demos, tests/progs or tests/kernel program of that name)),$(RUN_PROGS))
KERNEL_ENV ?=
QEMU_MODULES = -kernel $(KERNEL_ELF) $(if $(KERNEL_ENV),-append "$(KERNEL_ENV)") -initrd "$(subst $(space),$(comma),$(strip $(RUN_LIST)))"
# `make run` boots once for the programs that are not demos, then runs the
# demos through tests/demos/run.py, which shows the same output and leaves
# the heap pictures of their steps in build/demos/kernel/.
RUN_DEMOS  = $(filter $(BUILD)/demos/%,$(RUN_LIST))
RUN_OTHERS = $(filter-out $(BUILD)/demos/%,$(RUN_LIST))
QEMU_RUN_OTHERS = -kernel $(KERNEL_ELF) $(if $(KERNEL_ENV),-append "$(KERNEL_ENV)") -initrd "$(subst $(space),$(comma),$(strip $(RUN_OTHERS)))"

.PHONY: run-kernel debug-kernel qemu-installed
qemu-installed:
	@$(NEED) qemu-system-x86 python3

# QEMU exits 33 when the kernel ran every program (isa-debug-exit 0x10).
run-kernel: qemu-installed $(KERNEL_ELF) $(RUN_LIST)
	@$(if $(RUN_OTHERS),$(QEMU) $(QEMU_FLAGS) $(QEMU_RUN_OTHERS); rc=$$?; \
	    [ $$rc -eq 33 ] || { echo "kernel: qemu exited $$rc (9: panic, 0: triple fault)"; exit 1; },true)
	@$(if $(RUN_DEMOS),python3 tests/demos/run.py kernel-show $(BUILD)/demos \
	    $(patsubst $(BUILD)/demos/%.elf,%,$(RUN_DEMOS)) -- $(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL_ELF) \
	    $(if $(KERNEL_ENV),-append "$(KERNEL_ENV)"),true)

debug-kernel: qemu-installed $(KERNEL_ELF) $(RUN_LIST)
	@echo "QEMU waits for gdb; in another terminal run:"
	@echo "  gdb -ex 'target remote :1234' -ex 'hbreak kmain' -ex continue $(KERNEL_ELF)"
	@$(QEMU) $(QEMU_FLAGS) -s -S $(QEMU_MODULES); true

# ---- tests -----------------------------------------------------------------
# The allocator's stress program (tests/stress/stress.c, tide.h + standard C)
# built with our libc runs inside the kernel too, once it exists.
KSTRESS := $(if $(wildcard tests/stress/stress.c),$(KTEST_DIR)/stress.elf)
$(KTEST_DIR)/stress.elf: tests/stress/stress.c $(LIBC_A) $(LIBC_CRT0)
	@mkdir -p $(@D)
	$(CC) $(LIBC_PROG_CFLAGS) $(LIBC_LDFLAGS) -o $@ $(LIBC_CRT0) $< $(LIBC_LINK)

TEST_SUITES += kernel
.PHONY: test-kernel
test-kernel: qemu-installed $(KERNEL_ELF) $(KTEST_PROGS) $(KPROGS) $(KSTRESS)
	@python3 tests/kernel/harness.py $(KERNEL_ELF) $(BUILD) $(QEMU)

# ---- make bench-kernel ---------------------------------------------------------
# faultbench natively on Linux, then in QEMU (TCG), then in QEMU with
# -icount shift=0, where a TSC tick is one guest instruction: the kernel's
# "cost" line then counts the instructions of the fault and syscall paths.
KBENCH := $(KTEST_DIR)/faultbench.elf
$(KBENCH): kernel/bench/faultbench.c $(LIBC_A) $(LIBC_CRT0)
	@mkdir -p $(@D)
	$(CC) $(LIBC_PROG_CFLAGS) -Itests/progs $(LIBC_LDFLAGS) -o $@ $(LIBC_CRT0) $< $(LIBC_LINK)

.PHONY: bench-kernel
bench-kernel: qemu-installed $(KERNEL_ELF) $(KBENCH)
	@echo "== Linux (native, same binary)"; $(KBENCH)
	@echo "== our kernel, QEMU $(QEMU_ACCEL)"
	@$(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL_ELF) -initrd $(KBENCH) | grep -v frames; true
	@echo "== our kernel, QEMU tcg -icount shift=0 (1 tsc tick = 1 instruction)"
	@$(QEMU) $(subst -accel $(QEMU_ACCEL),-accel tcg -icount shift=0,$(QEMU_FLAGS)) \
	    -kernel $(KERNEL_ELF) -initrd $(KBENCH) | grep -v frames; true
