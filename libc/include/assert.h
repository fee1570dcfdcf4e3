/*
 * assert.h - assert(): on failure prints the expression and where it is
 * to stderr, then aborts (exit status 134). NDEBUG turns it off.
 * Not include-guarded: NDEBUG may change between inclusions (C11 7.2).
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
_Noreturn void __assert_fail(const char *expr, const char *file, int line,
                             const char *func);
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#ifndef static_assert
#define static_assert _Static_assert
#endif
