/*
 * libc/src/format_float.c - %e %f %g %a for doubles, exact: the double
 * m * 2^e is turned into its full decimal expansion with a small bignum
 * (m * 2^e, or m * 5^-e shifted by -e decimal places), then rounded once,
 * half to even, as glibc does in the default rounding mode.
 * long double arguments are converted to double first.
 */
#include <stdint.h>
#include <string.h>

#include "format.h"

/* The longest expansion: the smallest long double, 2^-16445 * (2^64 - 1),
 * has about 11 500 significant digits (a double at most 767). */
#define MAX_DIGITS 11600
#define LIMBS 1300   /* base 1e9 */
/* Precisions above this are cut to it (glibc has no limit). */
#define MAX_PREC 4096

/* value = 0.d[0]d[1]...d[nd-1] * 10^e10, d[0] != 0 (zero: "0", e10 = 1) */
struct decimal {
    char d[MAX_DIGITS];
    int nd;
    int e10;
};

/* big = big * mul + 0, mul < 2^32; limbs base 1e9, little-endian. */
static int big_mul(uint32_t *big, int n, uint32_t mul)
{
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t t = (uint64_t)big[i] * mul + carry;
        big[i] = (uint32_t)(t % 1000000000u);
        carry = t / 1000000000u;
    }
    while (carry) {
        big[n++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
    }
    return n;
}

/* Exact decimal digits of m * 2^e2. */
static void to_decimal(uint64_t m, int e2, struct decimal *out)
{
    static uint32_t big[LIMBS];   /* static: 5 KiB; the libc is single-threaded */
    int n = 0;
    if (m == 0) {
        out->d[0] = '0', out->nd = 1, out->e10 = 1;
        return;
    }
    for (uint64_t x = m; x; x /= 1000000000u)
        big[n++] = (uint32_t)(x % 1000000000u);
    int k = 0;  /* decimal places: value = big / 10^k */
    for (; e2 >= 29; e2 -= 29)
        n = big_mul(big, n, 1u << 29);
    if (e2 > 0)
        n = big_mul(big, n, 1u << e2);
    for (k = -e2 > 0 ? -e2 : 0; e2 <= -13; e2 += 13)
        n = big_mul(big, n, 1220703125u);   /* 5^13 */
    for (; e2 < 0; e2++)
        n = big_mul(big, n, 5);
    /* print the limbs, most significant first, stripping leading zeros */
    int nd = 0;
    for (int i = n - 1; i >= 0; i--) {
        char tmp[9];
        uint32_t v = big[i];
        for (int j = 8; j >= 0; j--, v /= 10)
            tmp[j] = (char)('0' + v % 10);
        for (int j = 0; j < 9; j++)
            if (nd || tmp[j] != '0')
                out->d[nd++] = tmp[j];
    }
    while (nd > 1 && out->d[nd - 1] == '0')
        nd--;   /* trailing zeros carry no information */
    int total = 0;   /* digits in the top limb */
    for (uint32_t v = big[n - 1]; v; v /= 10)
        total++;
    out->e10 = (n - 1) * 9 + total - k;
    out->nd = nd;
}

/* Keeps the first keep significant digits, rounding half to even. */
static void round_to(struct decimal *x, int keep)
{
    if (keep >= x->nd)
        return;
    int up;
    if (keep < 0) {
        up = 0;
    } else {
        char r = x->d[keep];
        int rest = 0;
        for (int i = keep + 1; i < x->nd; i++)
            rest |= x->d[i] != '0';
        int prev_odd = keep > 0 && ((x->d[keep - 1] - '0') & 1);
        up = r > '5' || (r == '5' && (rest || prev_odd));
    }
    x->nd = keep > 0 ? keep : 0;
    if (up) {
        int i = x->nd - 1;
        while (i >= 0 && x->d[i] == '9')
            x->d[i--] = '0';
        if (i >= 0) {
            x->d[i]++;
        } else {   /* 999 -> 1000, or nothing kept -> 1 */
            memmove(x->d + 1, x->d, (size_t)x->nd);
            x->d[0] = '1';
            x->nd++;
            x->e10++;
        }
    }
    if (x->nd == 0)   /* rounded to zero */
        x->d[0] = '0', x->nd = 1, x->e10 = 1;
}

static char digit_at(const struct decimal *x, int i)
{
    return i >= 0 && i < x->nd ? x->d[i] : '0';
}

/* Writes sign + body padded to the width; zeros go after the sign. */
static void emit(struct fmt_sink *sink, const struct fmt_spec *sp, const char *sign,
                 const char *body, int blen, int zero_ok)
{
    int slen = (int)strlen(sign);
    int pad = sp->width - slen - blen;
    int zeros = zero_ok && (sp->flags & FMT_ZERO) && !(sp->flags & FMT_MINUS);
    if (!(sp->flags & FMT_MINUS) && !zeros)
        __fmt_pad(sink, ' ', pad);
    __fmt_put(sink, sign, (size_t)slen);
    if (zeros)
        __fmt_pad(sink, '0', pad);
    __fmt_put(sink, body, (size_t)blen);
    if (sp->flags & FMT_MINUS)
        __fmt_pad(sink, ' ', pad);
}

/* Body of %f: digits before the point, then prec digits after it. */
static int body_f(char *out, const struct decimal *x, int prec, int hash, int strip)
{
    int n = 0;
    if (x->e10 <= 0)
        out[n++] = '0';
    for (int i = 0; i < x->e10; i++)
        out[n++] = digit_at(x, i);
    int point = n;
    out[n++] = '.';
    for (int i = 0; i < prec; i++)
        out[n++] = digit_at(x, x->e10 + i);
    if (strip)
        while (n > point + 1 && out[n - 1] == '0')
            n--;
    if (n == point + 1 && !hash)
        n--;
    return n;
}

/* Body of %e: d.ddd e+XX */
static int body_e(char *out, const struct decimal *x, int prec, int hash, int strip,
                  char e)
{
    int n = 0;
    out[n++] = x->d[0];
    out[n++] = '.';
    for (int i = 1; i <= prec; i++)
        out[n++] = digit_at(x, i);
    if (strip)
        while (n > 2 && out[n - 1] == '0')
            n--;
    if (n == 2 && !hash)
        n--;
    int ex = x->d[0] == '0' ? 0 : x->e10 - 1;
    out[n++] = e;
    out[n++] = ex < 0 ? '-' : '+';
    if (ex < 0)
        ex = -ex;
    char tmp[8];
    int t = 0;
    do
        tmp[t++] = (char)('0' + ex % 10);
    while ((ex /= 10));
    if (t < 2)
        tmp[t++] = '0';
    while (t)
        out[n++] = tmp[--t];
    return n;
}

/* The pieces of a %a conversion: lead digit, nd hex digits of fraction
 * (13 for a double, 15 for a long double), binary exponent. */
struct hexfloat {
    uint64_t frac;
    int nd, lead, exp;
};

/* %a without its 0x: 1.hhhp+d, rounded half to even when the precision
 * cuts the fraction digits. */
static int body_a(char *out, struct hexfloat h, int prec, int hash, int upper)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    uint64_t frac = h.frac;
    int nd = h.nd, lead = h.lead, exp = h.exp;
    if (prec < 0) {
        while (nd > 0 && !(frac & 0xf))
            frac >>= 4, nd--;
    } else if (prec < h.nd) {
        int shift = (h.nd - prec) * 4;
        uint64_t rem = frac & ((1ULL << shift) - 1), half = 1ULL << (shift - 1);
        frac >>= shift;
        int odd = prec ? (int)(frac & 1) : lead & 1;
        if (rem > half || (rem == half && odd))
            frac++;
        if (frac >> (prec * 4))   /* carried into the leading digit */
            lead++, frac &= (1ULL << (prec * 4)) - 1;
        nd = prec;
    }
    int n = 0;
    if (lead > 15)   /* 0xf.f.. rounded up to 0x10: renormalised, as glibc */
        lead = 1, frac = 0, exp += 4;
    out[n++] = hex[lead];
    if (nd > 0 || prec > 0 || hash)
        out[n++] = '.';
    for (int i = nd - 1; i >= 0; i--)
        out[n++] = hex[(frac >> (i * 4)) & 0xf];
    for (int i = nd; i < prec; i++)
        out[n++] = '0';
    out[n++] = upper ? 'P' : 'p';
    out[n++] = exp < 0 ? '-' : '+';
    char tmp[8];
    int t = 0;
    unsigned e = (unsigned)(exp < 0 ? -exp : exp);
    do
        tmp[t++] = (char)('0' + e % 10);
    while ((e /= 10));
    while (t)
        out[n++] = tmp[--t];
    return n;
}

/* A finite or special value taken apart: value = m * 2^e2. */
struct parts {
    int neg, special;   /* special: 0 finite, 1 inf, 2 nan */
    uint64_t m;
    int e2;
    struct hexfloat hex;
};

static struct parts parts_of_double(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    struct parts p = { (int)(bits >> 63), 0, 0, 0, { 0, 13, 0, 0 } };
    int bexp = (int)((bits >> 52) & 0x7ff);
    uint64_t frac = bits & ((1ULL << 52) - 1);
    if (bexp == 0x7ff)
        p.special = frac ? 2 : 1;
    p.m = bexp ? frac | (1ULL << 52) : frac;
    p.e2 = bexp ? bexp - 1075 : -1074;
    p.hex.frac = frac;
    p.hex.lead = bexp != 0;
    p.hex.exp = bexp ? bexp - 1023 : (frac ? -1022 : 0);
    return p;
}

/* x87 extended: 64-bit mantissa with an explicit integer bit, 15-bit
 * exponent. glibc's %La prints the top 4 mantissa bits as the lead digit. */
static struct parts parts_of_long_double(long double v)
{
    unsigned char raw[16];
    uint64_t m;
    uint16_t se;
    memcpy(raw, &v, 10);
    memcpy(&m, raw, 8);
    memcpy(&se, raw + 8, 2);
    struct parts p = { se >> 15, 0, m, 0, { 0, 15, 0, 0 } };
    int bexp = se & 0x7fff;
    if (bexp == 0x7fff)
        p.special = (m << 1) ? 2 : 1;
    p.e2 = (bexp ? bexp : 1) - 16383 - 63;
    p.hex.lead = (int)(m >> 60);
    p.hex.frac = m & ((1ULL << 60) - 1);
    p.hex.exp = m ? (bexp ? bexp : 1) - 16383 - 3 : 0;
    return p;
}

/* e E f F g G: the decimal conversions, from exact digits. */
static int body_decimal(char *body, const struct fmt_spec *sp, const struct parts *p)
{
    static struct decimal x;   /* 11 KiB: static, the libc is single-threaded */
    char c = sp->conv;
    int upper = c == 'E' || c == 'G', hash = (sp->flags & FMT_HASH) != 0;
    to_decimal(p->m, p->e2, &x);
    int prec = sp->prec < 0 ? 6 : sp->prec > MAX_PREC ? MAX_PREC : sp->prec;
    if (c == 'f' || c == 'F') {
        round_to(&x, x.e10 + prec);
        return body_f(body, &x, prec, hash, 0);
    }
    if (c == 'e' || c == 'E') {
        round_to(&x, prec + 1);
        return body_e(body, &x, prec, hash, 0, upper ? 'E' : 'e');
    }
    int pg = prec == 0 ? 1 : prec;
    round_to(&x, pg);
    int ex = x.d[0] == '0' ? 0 : x.e10 - 1;
    if (pg > ex && ex >= -4)
        return body_f(body, &x, pg - 1 - ex, hash, !hash);
    return body_e(body, &x, pg - 1, hash, !hash, upper ? 'E' : 'e');
}

void __fmt_float(struct fmt_sink *sink, const struct fmt_spec *sp, long double v, int is_long)
{
    struct parts p = is_long ? parts_of_long_double(v) : parts_of_double((double)v);
    char c = sp->conv;
    int upper = c == 'E' || c == 'F' || c == 'G' || c == 'A';
    const char *sign = p.neg ? "-" : (sp->flags & FMT_PLUS) ? "+" : (sp->flags & FMT_SPACE) ? " " : "";
    if (p.special) {
        const char *s = p.special == 2 ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        emit(sink, sp, sign, s, 3, 0);
        return;
    }
    /* The longest body: 4933 integer digits (a long double), the point,
     * MAX_PREC digits, an exponent. Static: the libc is single-threaded. */
    static char body[4960 + MAX_PREC];
    if (c == 'a' || c == 'A') {
        int prec = sp->prec > MAX_PREC ? MAX_PREC : sp->prec;
        char prefix[4];   /* zero padding goes after the 0x */
        strcpy(prefix, sign);
        strcat(prefix, upper ? "0X" : "0x");
        emit(sink, sp, prefix, body, body_a(body, p.hex, prec, (sp->flags & FMT_HASH) != 0, upper), 1);
        return;
    }
    emit(sink, sp, sign, body, body_decimal(body, sp, &p), 1);
}
