# allocator/allocator.mk - the portable core, compiled once as position-
# independent, freestanding objects under build/core/. Every consumer (the
# Linux library, the fake-platform tests, our libc) links these objects (or,
# for the kernel's libc, compiles the same sources with its own flags) with
# its own implementation of allocator/sys.h.

CORE_SRCS   := $(wildcard allocator/*.c)
CORE_OBJS   := $(CORE_SRCS:allocator/%.c=$(BUILD)/core/%.o)
# Flags every build of the core needs, whatever the target.
CORE_BASE_CFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector \
    -fvisibility=hidden -ftls-model=initial-exec -DTIDE_DEBUG=$(DEBUG)
CORE_CFLAGS := $(CFLAGS) $(WARN) $(CORE_BASE_CFLAGS) -fPIC -fno-plt \
    -fno-semantic-interposition -MMD -MP

$(BUILD)/core/%.o: allocator/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
