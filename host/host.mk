# host/host.mk - the Linux port: raw-syscall platform (sys_linux.c) and the
# shim that defines the standard names; builds libtide.so and libtide.a.

HOST_SRCS  := host/sys_linux.c host/shim.c
HOST_OBJS  := $(HOST_SRCS:host/%.c=$(BUILD)/host/%.o)
HOST_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden \
    -ftls-model=initial-exec -fno-plt -Iallocator -MMD -MP

LIBTIDE_SO := $(BUILD)/libtide.so
LIBTIDE_A  := $(BUILD)/libtide.a
ALL_TARGETS += $(LIBTIDE_SO) $(LIBTIDE_A)

$(BUILD)/host/%.o: host/%.c $(BUILD_FLAGS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

# -Bsymbolic: calls inside the library bind to the library itself, so the
# shim's malloc reaches tide_malloc with a direct jump, not through the PLT.
$(LIBTIDE_SO): $(CORE_OBJS) $(HOST_OBJS)
	$(CC) -shared -Wl,-Bsymbolic -Wl,-z,now -Wl,-soname,libtide.so -o $@ $^

$(LIBTIDE_A): $(CORE_OBJS) $(HOST_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- install -------------------------------------------------------------
TIDE_VERSION := 0.1.0
LIBDIR := $(PREFIX)/lib
INCDIR := $(PREFIX)/include

# The .pc file is written at install time: it names the PREFIX of this
# install, whatever an earlier one used.
install: $(LIBTIDE_SO) $(LIBTIDE_A)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)
	install -m 755 $(LIBTIDE_SO) $(DESTDIR)$(LIBDIR)/libtide.so
	install -m 644 $(LIBTIDE_A) $(DESTDIR)$(LIBDIR)/libtide.a
	install -m 644 allocator/tide.h $(DESTDIR)$(INCDIR)/tide.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(TIDE_VERSION)|g' host/tide.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/tide.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/tide.pc
