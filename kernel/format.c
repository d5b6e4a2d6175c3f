/* SPDX-License-Identifier: BSD-2-Clause */
/* kvsnprintf: the formatter behind printk and panic; pure, so it is unit-tested on the host. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/format.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    /* With zero padding a sign or 0x prefix stays in front of the zeros. */
    if (!left && pad == '0') {
        while (n && (*s == '-' || *s == 'x' || (*s == '0' && n > 1 && (s[1] == 'x' || s[1] == 'X')))) {
            put(o, *s++);
            n--;
        }
    }
    if (!left)
        while (fill--)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static size_t format_number(char *tmp, u64 v, unsigned base, bool upper, bool negative, bool alt)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0, len = 0;

    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative)
        tmp[len++] = '-';
    if (alt && base == 16) {
        tmp[len++] = '0';
        tmp[len++] = upper ? 'X' : 'x';
    }
    while (n)
        tmp[len++] = rev[--n];
    return len;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        bool left = false, alt = false;
        char pad = ' ';
        int width = 0, prec = -1, lng = 0;
        for (;; fmt++) {
            if (fmt[1] == '-')
                left = true;
            else if (fmt[1] == '0')
                pad = '0';
            else if (fmt[1] == '#')
                alt = true;
            else
                break;
        }
        fmt++;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
            lng += *fmt == 'h' ? -1 : 1;

        char tmp[32];
        size_t n;
        u64 v;
        switch (*fmt) {
        case 'd':
        case 'i': {
            i64 s = lng > 0 ? va_arg(ap, i64) : va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng <= -2)
                s = (signed char)s;
            n = format_number(tmp, s < 0 ? -(u64)s : (u64)s, 10, false, s < 0, false);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            v = lng > 0 ? va_arg(ap, u64) : va_arg(ap, unsigned);
            if (lng == -1)
                v = (u16)v;
            else if (lng <= -2)
                v = (u8)v;
            n = format_number(tmp, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, alt);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 'p':
            v = (u64)(uintptr_t)va_arg(ap, void *);
            n = format_number(tmp, v, 16, false, false, true);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t len = 0;
            while (s[len] && (prec < 0 || len < (size_t)prec))
                len++;
            put_padded(&o, s, len, width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
