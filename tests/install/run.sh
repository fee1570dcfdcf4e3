#!/bin/sh
# tests/install/run.sh MAKE OUTDIR - `make install DESTDIR=... PREFIX=/usr`,
# then a program built with `pkg-config --cflags --libs tide` (sysroot set
# to DESTDIR) against the shared and the static library, run and checked.
make_cmd=$1; out=$2
passed=0; failed=0
rm -rf "$out"; mkdir -p "$out"; out=$(realpath "$out")
dest=$out/root

ok()  { echo "ok $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

if $make_cmd -s --no-print-directory install DESTDIR="$dest" PREFIX=/usr >"$out/install.log" 2>&1; then
    ok make-install-destdir-prefix
else
    bad make-install-destdir-prefix "$(tail -n 5 "$out/install.log")"
fi

missing=""
for f in usr/lib/libtide.so usr/lib/libtide.a usr/include/tide.h usr/lib/pkgconfig/tide.pc; do
    [ -f "$dest/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok install-puts-library-header-and-pc || bad install-puts-library-header-and-pc "missing:$missing"

grep -qx 'prefix=/usr' "$dest/usr/lib/pkgconfig/tide.pc" 2>/dev/null && ok pc-file-honours-prefix ||
    bad pc-file-honours-prefix "$(grep prefix= "$dest/usr/lib/pkgconfig/tide.pc" 2>&1 | head -n 1)"

# A second install with another PREFIX must not reuse the first one's .pc.
if $make_cmd -s --no-print-directory install DESTDIR="$out/root2" PREFIX=/opt/tide >"$out/install2.log" 2>&1 &&
    grep -qx 'prefix=/opt/tide' "$out/root2/opt/tide/lib/pkgconfig/tide.pc"; then
    ok second-install-other-prefix-gets-its-own-pc
else
    bad second-install-other-prefix-gets-its-own-pc \
        "$(grep prefix= "$out/root2/opt/tide/lib/pkgconfig/tide.pc" 2>&1 | head -n 1) $(tail -n 2 "$out/install2.log")"
fi

export PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig" PKG_CONFIG_LIBDIR="$dest/usr/lib/pkgconfig"
flags=$(pkg-config --cflags --libs tide 2>&1) && ok pkg-config-knows-tide || bad pkg-config-knows-tide "$flags"

cat > "$out/prog.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <tide.h>
int main(void) {
    void *a = tide_malloc(100), *b = malloc(100);
    struct tide_stats st;
    tide_get_stats(&st);
    printf("tide=%zu malloc=%zu in_use=%d\n", tide_malloc_usable_size(a),
           tide_malloc_usable_size(b), st.bytes_in_use >= 2 * 112);
    free(b); tide_free(a);
    return tide_check() != 0;
}
C
expect="tide=112 malloc=112 in_use=1"

# Shared: found through pkg-config's -L, run with the installed library.
if cc -o "$out/prog-shared" "$out/prog.c" $(pkg-config --cflags --libs tide) 2>"$out/cc.err" &&
    got=$(LD_LIBRARY_PATH="$dest/usr/lib" "$out/prog-shared") && [ "$got" = "$expect" ]; then
    ok program-links-installed-shared-library
else
    bad program-links-installed-shared-library "$(head -n 3 "$out/cc.err") $got"
fi
if ldd "$out/prog-shared" 2>/dev/null | grep -q "$dest/usr/lib/libtide.so" ||
    LD_LIBRARY_PATH="$dest/usr/lib" ldd "$out/prog-shared" | grep -q "$dest/usr/lib/libtide.so"; then
    ok program-uses-installed-copy
else
    bad program-uses-installed-copy "$(LD_LIBRARY_PATH="$dest/usr/lib" ldd "$out/prog-shared" | grep tide)"
fi

# Static: libtide.a from the same place, with Libs.private.
libdir=$(pkg-config --variable=libdir tide)
case "$libdir" in "$dest"/*) ;; *) libdir=$dest$libdir ;; esac # pkgconf adds the sysroot
if cc -o "$out/prog-static" "$out/prog.c" $(pkg-config --cflags tide) "$libdir/libtide.a" \
        $(pkg-config --static --libs-only-l tide | sed 's/-ltide//') 2>"$out/cc.err" &&
    got=$("$out/prog-static") && [ "$got" = "$expect" ]; then
    ok program-links-installed-static-library
else
    bad program-links-installed-static-library "$(head -n 3 "$out/cc.err") $got"
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
