/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the symbol lookup behind backtraces. */
#include "kernel/ksyms.h"
#include "unit.h"

static const char names[] = "_start32\0kmain\0panic_at\0";
static const struct ksym table[] = { { 0x4000000, 0, 0 }, { 0x4000100, 9, 0 }, { 0x4000180, 15, 0 } };

TEST(ksyms_find)
{
    u64 off = 99;
    CHECK(ksym_find(table, 3, names, 0x3ffffff, &off) == NULL);
    CHECK_STR(ksym_find(table, 3, names, 0x4000000, &off), "_start32");
    CHECK_EQ(off, 0);
    CHECK_STR(ksym_find(table, 3, names, 0x40000ff, &off), "_start32");
    CHECK_EQ(off, 0xff);
    CHECK_STR(ksym_find(table, 3, names, 0x4000100, &off), "kmain");
    CHECK_STR(ksym_find(table, 3, names, 0x4000179, &off), "kmain");
    CHECK_EQ(off, 0x79);
    CHECK_STR(ksym_find(table, 3, names, 0x4009999, &off), "panic_at");
    CHECK(ksym_find(table, 0, names, 0x4000000, &off) == NULL);
    CHECK_STR(ksym_find(table, 1, names, 0x4000050, &off), "_start32");
}
