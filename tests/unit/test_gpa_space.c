/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the guest-physical allocator the loaders share. */
#include "unit.h"
#include "vm/gpa_space.h"

static struct gpa_space s;

/* A PC's map: low RAM below the EBDA, ROM, RAM from 1 MiB to 64 MiB, the hypervisor, RAM to 256 MiB. */
static const struct mem_entry pc[] = {
    { 0x0, 0x9fc00, MEM_USABLE },
    { 0x9fc00, 0x400, MEM_RESERVED },
    { 0xf0000, 0x10000, MEM_RESERVED },
    { 0x100000, 0x3f00000, MEM_USABLE },
    { 0x4000000, 0xa00000, MEM_RESERVED },
    { 0x4a00000, 0xb600000, MEM_USABLE },
};

TEST(gpa_space_init_trims_and_merges)
{
    gpa_space_init(&s, pc, 6);
    CHECK_EQ(s.count, 3);
    CHECK_EQ(s.free[0].start, 0);
    CHECK_EQ(s.free[0].end, 0x9f000);          /* the partial page below the EBDA is not handed out */
    CHECK_EQ(s.free[1].start, 0x100000);
    CHECK_EQ(s.free[1].end, 0x4000000);
    CHECK_EQ(s.free[2].end, 0x10000000);
    /* Touching and overlapping usable entries, given out of order, make one range. */
    const struct mem_entry split[] = {
        { 0x200000, 0x100000, MEM_USABLE }, { 0x100000, 0x100000, MEM_USABLE }, { 0x280000, 0x200000, MEM_USABLE },
        { 0x100800, 0x10, MEM_ACPI },
    };
    gpa_space_init(&s, split, 4);
    CHECK_EQ(s.count, 1);
    CHECK_EQ(s.free[0].start, 0x100000);
    CHECK_EQ(s.free[0].end, 0x480000);
}

TEST(gpa_space_reserve_splits)
{
    gpa_space_init(&s, pc, 6);
    CHECK(gpa_reserve(&s, (struct range){ 0x1000000, 0x1000001 }));    /* widened to the page */
    CHECK_EQ(s.count, 4);
    CHECK_EQ(s.free[1].end, 0x1000000);
    CHECK_EQ(s.free[2].start, 0x1001000);
    CHECK(!gpa_is_free(&s, (struct range){ 0xfff000, 0x1001000 }));
    CHECK(gpa_is_free(&s, (struct range){ 0x1001000, 0x1002000 }));
    CHECK(!gpa_is_free(&s, (struct range){ 0x3fff000, 0x4001000 }));   /* runs into the hypervisor */
    CHECK(gpa_reserve(&s, (struct range){ 0x4000000, 0x4a00000 }));    /* not free: nothing happens */
    CHECK_EQ(s.count, 4);
    CHECK(gpa_reserve(&s, (struct range){ 0x80000, 0x200000 }));       /* the end of one, the start of another */
    CHECK_EQ(s.free[0].end, 0x80000);
    CHECK_EQ(s.free[1].start, 0x200000);
    CHECK(gpa_reserve(&s, (struct range){ 5, 5 }));                    /* empty */
    CHECK(!gpa_is_free(&s, (struct range){ 0x1000, 0x1000 }));
}

TEST(gpa_space_alloc_lowest_highest)
{
    gpa_space_init(&s, pc, 6);
    struct range low = { 0x1000, 0xa0000 }, below4g = { 0x100000, 0x100000000ULL };
    CHECK_EQ(gpa_alloc(&s, 0x1000, 0x1000, low, GPA_LOWEST), 0x1000);
    CHECK_EQ(gpa_alloc(&s, 10, 0x1000, low, GPA_LOWEST), 0x2000);     /* a whole page is taken */
    CHECK_EQ(gpa_alloc(&s, 0x2000, 0x1000, low, GPA_HIGHEST), 0x9d000);
    /* The highest place for 2 MiB aligned to 2 MiB below 4 GiB is at the top of RAM. */
    CHECK_EQ(gpa_alloc(&s, 0x200000, 0x200000, below4g, GPA_HIGHEST), 0xfe00000);
    /* 63 MiB aligned to 2 MiB fits only above the hypervisor's block. */
    CHECK_EQ(gpa_alloc(&s, 63 << 20, 0x200000, below4g, GPA_LOWEST), 0x4a00000);
    CHECK_EQ(gpa_alloc(&s, 200 << 20, 0x1000, below4g, GPA_LOWEST), GPA_NONE);
    CHECK_EQ(gpa_alloc(&s, 0, 0x1000, below4g, GPA_LOWEST), GPA_NONE);
    CHECK_EQ(gpa_alloc(&s, 0x1000, 0x1800, below4g, GPA_LOWEST), GPA_NONE);   /* not a power of two */
    CHECK_EQ(gpa_alloc(&s, 0x1000, 0x1000, (struct range){ 0x9f000, 0x100000 }, GPA_LOWEST), GPA_NONE);
    /* An alignment that no free address inside the window meets. */
    CHECK_EQ(gpa_alloc(&s, 0x1000, 1ULL << 40, below4g, GPA_LOWEST), GPA_NONE);
    CHECK_EQ(gpa_alloc(&s, ~0ULL, 0x1000, (struct range){ 0, ~0ULL }, GPA_HIGHEST), GPA_NONE);
}

TEST(gpa_space_overflow_leaves_space_unchanged)
{
    struct mem_entry one = { 0, 0x1000000, MEM_USABLE };
    gpa_space_init(&s, &one, 1);
    for (u64 i = 0; i < GPA_SPACE_MAX - 1; i++)
        CHECK(gpa_reserve(&s, (struct range){ 0x2000 * i + 0x1000, 0x2000 * i + 0x2000 }));
    CHECK_EQ(s.count, GPA_SPACE_MAX);
    struct range last = s.free[GPA_SPACE_MAX - 1];
    CHECK(!gpa_reserve(&s, (struct range){ last.start + 0x1000, last.start + 0x2000 }));
    CHECK_EQ(s.count, GPA_SPACE_MAX);
    CHECK_EQ(s.free[GPA_SPACE_MAX - 1].start, last.start);
    /* Reserving a whole range needs no split and still works. */
    CHECK(gpa_reserve(&s, last));
    CHECK_EQ(s.count, GPA_SPACE_MAX - 1);
}
