# kernel/kernel.mk - the x86-64 kernel (build/kernel/kernel.elf), `make run`
# and `make debug` (QEMU, TCG by default), and the kernel test suite.
#
#   make run                 boot and run every program in RUN_PROGS
#   make run DEMO=name       boot and run build/progs/name.elf only
#   make debug               the same, QEMU waiting for gdb on :1234
#   make test-kernel         the kernel tests (also part of `make test`)
#   make bench-kernel        page-fault and syscall cost, kernel vs Linux
# Overridable: QEMU, QEMU_ACCEL (tcg | kvm), QEMU_MEM.

# $(CC) can be empty here (MAKEFLAGS -rR drops make's default): fall back.
KCC := $(if $(CC),$(CC),gcc)
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

$(BUILD)/kernel/%.o: kernel/%.c
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/kernel.ld
	ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

.PHONY: kernel
kernel: $(KERNEL_ELF)
