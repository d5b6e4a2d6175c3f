/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the physical page allocator. */
#include "kernel/pmm.h"
#include "unit.h"

static struct pmm p;

static const struct mem_entry qemu_map[] = {
    { 0, 0x9fc00, MEM_USABLE },
    { 0x9fc00, 0x400, MEM_RESERVED },
    { 0xf0000, 0x10000, MEM_RESERVED },
    { 0x100000, 0xfee0000, MEM_USABLE },     /* up to 0xffe0000 */
    { 0xffe0000, 0x20000, MEM_RESERVED },
    { 0xfffc0000, 0x40000, MEM_RESERVED },
};

TEST(pmm_init_excludes_low_mib_hv_and_modules)
{
    struct range ex[] = { { 0x4000000, 0x4123456 }, { 0x200000, 0x200800 } };
    CHECK(pmm_init(&p, qemu_map, 6, ex, 2, 1ULL << 32, 0x4124000));
    CHECK_EQ(p.count, 3);
    CHECK_EQ(p.free[0].start, 0x100000);
    CHECK_EQ(p.free[0].end, 0x200000);
    CHECK_EQ(p.free[1].start, 0x201000);
    CHECK_EQ(p.free[1].end, 0x4000000);
    CHECK_EQ(p.free[2].start, 0x4124000);       /* hypervisor end rounded up to a page */
    CHECK_EQ(p.free[2].end, 0xffe0000);
    CHECK_EQ(p.free_pages, (0x100000 + 0x3dff000 + 0xbebc000) / 4096);
}

TEST(pmm_alloc_grows_upward_from_prefer)
{
    struct range ex[] = { { 0x4000000, 0x4100000 } };
    CHECK(pmm_init(&p, qemu_map, 6, ex, 1, 1ULL << 32, 0x4100000));
    u64 before = p.free_pages;
    CHECK_EQ(pmm_alloc(&p, 1), 0x4100000);
    CHECK_EQ(pmm_alloc(&p, 4), 0x4101000);
    CHECK_EQ(pmm_alloc(&p, 1), 0x4105000);
    CHECK_EQ(p.free_pages, before - 6);
    pmm_free(&p, 0x4101000, 4);
    CHECK_EQ(pmm_alloc(&p, 2), 0x4101000);      /* first fit reuses the hole */
    CHECK_EQ(p.free_pages, before - 4);
    CHECK_EQ(pmm_alloc(&p, 0), 0);
}

TEST(pmm_alloc_falls_back_below_prefer_then_fails)
{
    struct mem_entry map[] = { { 0x100000, 0x10000, MEM_USABLE }, { 0x400000, 0x3000, MEM_USABLE } };
    CHECK(pmm_init(&p, map, 2, NULL, 0, 1ULL << 32, 0x400000));
    CHECK_EQ(pmm_alloc(&p, 3), 0x400000);
    CHECK_EQ(pmm_alloc(&p, 1), 0x100000);       /* above `prefer` is full now */
    CHECK_EQ(pmm_alloc(&p, 16), 0);             /* 15 pages left: no run of 16 */
    CHECK_EQ(pmm_alloc(&p, 15), 0x101000);
    CHECK_EQ(p.free_pages, 0);
    CHECK_EQ(pmm_alloc(&p, 1), 0);
    pmm_free(&p, 0x400000, 3);
    pmm_free(&p, 0x100000, 16);
    CHECK_EQ(p.count, 2);
    CHECK_EQ(p.free_pages, 19);
}

TEST(pmm_odd_edges_and_overlaps)
{
    /* Unaligned usable edges shrink inward; a reserved entry inside a usable one wins; limit cuts. */
    struct mem_entry map[] = {
        { 0x100800, 0x3000, MEM_USABLE },           /* -> [0x101000, 0x103000) */
        { 0x200000, 0x100000, MEM_USABLE },
        { 0x250400, 0x10, MEM_NVS },                /* punches [0x250000, 0x251000) */
        { 0x280000, 0x200000, MEM_USABLE },         /* overlaps the previous usable entry */
        { 0xfff00000, 0x200000, MEM_USABLE },       /* crosses the 4 GiB limit */
        { 0x500000, 0x1000, MEM_BAD },
    };
    CHECK(pmm_init(&p, map, 6, NULL, 0, 1ULL << 32, 0));
    CHECK_EQ(p.count, 4);
    CHECK_EQ(p.free[0].start, 0x101000);
    CHECK_EQ(p.free[0].end, 0x103000);
    CHECK_EQ(p.free[1].start, 0x200000);
    CHECK_EQ(p.free[1].end, 0x250000);
    CHECK_EQ(p.free[2].start, 0x251000);
    CHECK_EQ(p.free[2].end, 0x480000);
    CHECK_EQ(p.free[3].start, 0xfff00000);
    CHECK_EQ(p.free[3].end, 0x100000000);
}

TEST(pmm_too_fragmented_is_reported)
{
    struct mem_entry map[PMM_MAX_RANGES + 1];
    for (int i = 0; i <= PMM_MAX_RANGES; i++)
        map[i] = (struct mem_entry){ 0x100000 + (u64)i * 0x2000, 0x1000, MEM_USABLE };
    CHECK(!pmm_init(&p, map, PMM_MAX_RANGES + 1, NULL, 0, 1ULL << 32, 0));
    CHECK(pmm_init(&p, map, PMM_MAX_RANGES, NULL, 0, 1ULL << 32, 0));
}

TEST(pmm_high_water_and_restrict)
{
    struct range ex[] = { { 0x4000000, 0x4100000 } };
    CHECK(pmm_init(&p, qemu_map, 6, ex, 1, 1ULL << 32, 0x4100000));
    CHECK_EQ(p.high_water, 0);
    CHECK_EQ(pmm_alloc(&p, 16), 0x4100000);
    CHECK_EQ(p.high_water, 0x4110000);
    pmm_restrict(&p, 0x4000000, 0x4200000);
    CHECK_EQ(p.count, 1);
    CHECK_EQ(p.free[0].start, 0x4110000);
    CHECK_EQ(p.free[0].end, 0x4200000);
    CHECK_EQ(p.free_pages, 0xf0);
    CHECK_EQ(pmm_alloc(&p, 0xf0), 0x4110000);
    CHECK_EQ(pmm_alloc(&p, 1), 0);          /* the block is full: nothing leaks into guest memory */
}
