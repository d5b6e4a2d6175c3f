/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for kvsnprintf. */
#include "kernel/format.h"
#include "unit.h"

#define FMT(expect, ...)                                  \
    do {                                                  \
        char b_[128];                                     \
        ksnprintf(b_, sizeof b_, __VA_ARGS__);            \
        CHECK_STR(b_, expect);                            \
    } while (0)

TEST(format_integers)
{
    FMT("0 -1 42 4294967295", "%d %d %i %u", 0, -1, 42, 4294967295u);
    FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    FMT("ff FF 0xff", "%x %X %#x", 255, 255, 255);
    FMT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
    FMT("ff 7f", "%hhx %hhx", 0x1ff, 0x7f);
    FMT("-1", "%hd", 0xffff);
}

TEST(format_width_and_padding)
{
    FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
    FMT("-0042", "%05d", -42);
    FMT("0x00ff", "%#06x", 255);
    FMT("0000000004001000", "%016lx", 0x4001000UL);
    FMT("  abc|abc  |ab", "%5s|%-5s|%.2s", "abc", "abc", "abcdef");
    const char *volatile nul = NULL;
    FMT("(null)", "%s", nul);
    FMT("x|  y|100%", "%c|%3c|100%%", 'x', 'y');
    FMT("0x4000000", "%p", (void *)0x4000000);
}

TEST(format_truncation)
{
    char b[8];
    int n = ksnprintf(b, sizeof b, "%s", "0123456789");
    CHECK_EQ(n, 10);
    CHECK_STR(b, "0123456");
    n = ksnprintf(b, 0, "%d", 12345);
    CHECK_EQ(n, 5);
    n = ksnprintf(b, 1, "abc");
    CHECK_STR(b, "");
}
