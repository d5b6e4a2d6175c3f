/* SPDX-License-Identifier: BSD-2-Clause */
/* Module command-line parser for guest images (pure: unit-tested on the host). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/format.h"
#include "vm/image_spec.h"

#define FAIL(...) (ksnprintf(err, errlen, __VA_ARGS__), false)

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* Parses hexadecimal digits (an optional 0x first) up to `end`; false on anything else or overflow. */
static bool parse_hex(const char *s, const char *end, u64 *out)
{
    u64 v = 0;
    if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (s == end)
        return false;
    for (; s < end; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
            d = (unsigned)((*s | 0x20) - 'a' + 10);
        else
            return false;
        if (v >> 60)
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static bool word_eq(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n && lit[i] && s[i] == lit[i]; i++)
        ;
    return i == n && !lit[i];
}

static const char *const KIND_NAMES[] = {
    [IMAGE_FLAT] = "flat", [IMAGE_MULTIBOOT] = "multiboot", [IMAGE_LINUX] = "linux", [IMAGE_INITRD] = "initrd",
    [IMAGE_MODULE] = "module",
};

const char *image_kind_name(enum image_kind kind)
{
    return kind < ARRAY_SIZE(KIND_NAMES) ? KIND_NAMES[kind] : "?";
}

bool image_spec_parse(const char *cmdline, struct image_spec *spec, char *err, size_t errlen)
{
    const char *p = cmdline;
    *spec = (struct image_spec){ .kind = IMAGE_FLAT, .load = 0x7C00, .cs = 0, .ip = 0x7C00, .name = "guest" };
    spec->args[0] = '\0';

    while (is_space(*p))
        p++;
    const char *kind = p;
    while (*p && !is_space(*p))
        p++;
    u32 k = 0;
    while (k < ARRAY_SIZE(KIND_NAMES) && !word_eq(kind, (size_t)(p - kind), KIND_NAMES[k]))
        k++;
    if (k == ARRAY_SIZE(KIND_NAMES))
        return FAIL("unknown image kind '%.*s' (expected: flat, multiboot, linux, initrd, module)", (int)(p - kind),
                    kind);
    spec->kind = (enum image_kind)k;
    const char *kind_name = KIND_NAMES[k];

    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (p[0] == '-' && p[1] == '-' && (!p[2] || is_space(p[2]))) {
            if (spec->kind == IMAGE_FLAT || spec->kind == IMAGE_INITRD)
                return FAIL("%s images take no arguments after '--'", kind_name);
            p += 2;
            while (is_space(*p))
                p++;
            size_t n = 0;
            while (p[n])
                n++;
            if (n >= sizeof spec->args)
                return FAIL("guest arguments are longer than %zu bytes", sizeof spec->args - 1);
            for (size_t i = 0; i <= n; i++)
                spec->args[i] = p[i];
            break;
        }
        const char *key = p, *eq = NULL;
        while (*p && !is_space(*p)) {
            if (*p == '=' && !eq)
                eq = p;
            p++;
        }
        if (!eq)
            return FAIL("option '%.*s' needs a value", (int)(p - key), key);
        size_t klen = (size_t)(eq - key);
        const char *val = eq + 1;
        u64 a, b;
        bool flat = spec->kind == IMAGE_FLAT;
        if (flat && word_eq(key, klen, "load")) {
            if (!parse_hex(val, p, &spec->load) || spec->load >= (1ULL << 52))
                return FAIL("bad address in '%.*s'", (int)(p - key), key);
        } else if (flat && word_eq(key, klen, "start")) {
            const char *colon = val;
            while (colon < p && *colon != ':')
                colon++;
            if (colon == p || !parse_hex(val, colon, &a) || !parse_hex(colon + 1, p, &b) || a > 0xFFFF || b > 0xFFFF)
                return FAIL("bad real-mode start in '%.*s' (expected SEG:OFF, hexadecimal)", (int)(p - key), key);
            spec->cs = (u16)a;
            spec->ip = (u16)b;
        } else if (word_eq(key, klen, "name")) {
            size_t n = (size_t)(p - val);
            if (n == 0 || n >= sizeof spec->name)
                return FAIL("name in '%.*s' must have 1 to %zu characters", (int)(p - key), key,
                            sizeof spec->name - 1);
            for (size_t i = 0; i < n; i++)
                spec->name[i] = val[i];
            spec->name[n] = '\0';
        } else {
            return FAIL("unknown option '%.*s' for a %s image", (int)(p - key), key, kind_name);
        }
    }
    return true;
}
