#!/bin/sh
# tests/symbols/check.sh CC LIBTIDE_SO LIBTIDE_A CORE_OBJ... - the
# freestanding rule: the core needs nothing from its environment but the
# six tide_sys_* functions and memcpy/memset/memmove, defines no standard
# name, and builds without libc headers; the shared library exports every
# malloc entry point and never calls libc's mmap/sbrk wrappers.
cc=$1; so=$2; lib_a=$3; shift 3
passed=0; failed=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

ok()  { echo "ok $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

CONTRACT="tide_sys_init tide_sys_brk tide_sys_mmap tide_sys_munmap tide_sys_write tide_sys_abort"
# _GLOBAL_OFFSET_TABLE_ is made by the linker itself for position-
# independent code: not something the environment must provide.
ALLOWED="$CONTRACT memcpy memset memmove _GLOBAL_OFFSET_TABLE_"
STANDARD="malloc free calloc realloc reallocarray aligned_alloc posix_memalign memalign
valloc pvalloc malloc_usable_size free_sized free_aligned_sized mallopt malloc_trim
mallinfo mallinfo2 malloc_stats"

# 1. All core objects linked together: what is still undefined?
ld -r -o "$work/core.o" "$@" 2>"$work/ld.err" || { bad core-links-as-one-object "$(cat "$work/ld.err")"; }
undef=$(nm -u "$work/core.o" | awk '{print $2}' | sort -u)
extra=""
for s in $undef; do
    case " $ALLOWED " in *" $s "*) ;; *) extra="$extra $s" ;; esac
done
[ -z "$extra" ] && ok core-undefined-only-contract-and-mem-functions ||
    bad core-undefined-only-contract-and-mem-functions "also needs:$extra"

# 2. The same per object, so a leak names its file.
leaky=""
for o in "$@"; do
    for s in $(nm -u "$o" | awk '{print $2}'); do
        case " $ALLOWED " in *" $s "*) continue ;; esac
        nm --defined-only "$work/core.o" | awk '{print $3}' | grep -qx "$s" || leaky="$leaky $(basename "$o"):$s"
    done
done
[ -z "$leaky" ] && ok each-core-object-needs-only-core-or-contract ||
    bad each-core-object-needs-only-core-or-contract "$leaky"

# 3. The core defines no standard name (only the shim and our libc do).
defs=$(nm --defined-only -g "$work/core.o" | awk '{print $3}')
clash=""
for s in $STANDARD; do echo "$defs" | grep -qx "$s" && clash="$clash $s"; done
[ -z "$clash" ] && ok core-defines-no-standard-names || bad core-defines-no-standard-names "$clash"

# 4. The core compiles without any libc header (only the compiler's own).
gccinc=$($cc -print-file-name=include)
fs_fail=""
for src in allocator/*.c; do
    $cc -std=gnu11 -ffreestanding -nostdlib -nostdinc -isystem "$gccinc" -fno-stack-protector -DTIDE_DEBUG=0 \
        -Iallocator -c "$src" -o "$work/fs.o" 2>"$work/fs.err" || fs_fail="$fs_fail $src"
done
[ -z "$fs_fail" ] && ok core-compiles-without-libc-headers ||
    bad core-compiles-without-libc-headers "$fs_fail: $(head -n 3 "$work/fs.err")"

# 5. libtide.so exports every entry point a program may call.
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//')
missing=""
for s in $STANDARD; do echo "$exported" | grep -qx "$s" || missing="$missing $s"; done
[ -z "$missing" ] && ok shim-exports-every-entry-point || bad shim-exports-every-entry-point "missing:$missing"

# 6. ... and the tide_ API beside them.
missing=""
for s in $(grep -o 'tide_[a-z0-9_]*(' allocator/tide.h | tr -d '(' | sort -u); do
    echo "$exported" | grep -qx "$s" || missing="$missing $s"
done
[ -z "$missing" ] && ok libtide-so-exports-tide-api || bad libtide-so-exports-tide-api "missing:$missing"

# 7. No libc wrapper that may allocate or recurse: raw system calls only.
imports=$(nm -D --undefined-only "$so" | awk '{print $2}' | sed 's/@.*//')
wrappers=""
for s in mmap mmap64 munmap mremap madvise sbrk brk syscall $STANDARD; do
    echo "$imports" | grep -qx "$s" && wrappers="$wrappers $s"
done
[ -z "$wrappers" ] && ok libtide-so-imports-no-memory-wrappers || bad libtide-so-imports-no-memory-wrappers "$wrappers"

# 8. The static library's shim object also stays off the wrappers.
imports=$(nm -u "$lib_a" 2>/dev/null | awk '{print $2}' | sort -u)
wrappers=""
for s in mmap mmap64 munmap mremap madvise sbrk brk; do
    echo "$imports" | grep -qx "$s" && wrappers="$wrappers $s"
done
[ -z "$wrappers" ] && ok libtide-a-imports-no-memory-wrappers || bad libtide-a-imports-no-memory-wrappers "$wrappers"

echo "symbols: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
