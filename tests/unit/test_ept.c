/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for EPT identity maps: real firmware maps, odd edges, page counts, remapping, running out of pages. */
#include <stdlib.h>

#include "vcpu/vmx/ept.h"
#include "unit.h"

/* Paging-structure pages come from a pool at a made-up physical address, so virt != phys is exercised. */
#define POOL_PHYS 0x100000000000ULL

struct pool {
    u8 *mem;
    u32 capacity, used;
};

static u64 pool_alloc(void *ctx)
{
    struct pool *p = ctx;

    if (p->used == p->capacity)
        return 0;
    memset(p->mem + (u64)p->used * PAGE_SIZE, 0, PAGE_SIZE);
    return POOL_PHYS + (u64)p->used++ * PAGE_SIZE;
}

static void *pool_virt(void *ctx, u64 pa)
{
    struct pool *p = ctx;

    if (pa < POOL_PHYS || pa % PAGE_SIZE || (pa - POOL_PHYS) / PAGE_SIZE >= p->used) {
        printf("    bad table address 0x%llx\n", (unsigned long long)pa);
        abort();
    }
    return p->mem + (pa - POOL_PHYS);
}

static struct ept_mm pool_new(struct pool *p, u32 capacity)
{
    p->mem = aligned_alloc(PAGE_SIZE, (capacity ? capacity : 1) * PAGE_SIZE);
    p->capacity = capacity;
    p->used = 0;
    return (struct ept_mm){ pool_alloc, pool_virt, p };
}

static void pool_free(struct pool *p)
{
    free(p->mem);
}

/*
 * The reference model, written from the contract rather than the code: a page is unmapped if it is at or
 * above the limit or touches a hole, else UC if it touches an MMIO range, else WB if one RAM range holds all
 * of it, else UC.
 */
static enum ept_kind expected_kind(const struct ept_layout *l, u64 page)
{
    bool uc = false, wb = false;

    if (page >= l->limit)
        return EPT_UNMAPPED;
    for (u32 i = 0; i < l->count; i++) {
        const struct ept_range *r = &l->ranges[i];
        bool touches = r->start < page + PAGE_SIZE && page < r->end;

        if (r->kind == EPT_UNMAPPED && touches)
            return EPT_UNMAPPED;
        uc |= r->kind == EPT_UC && touches;
        wb |= r->kind == EPT_WB && r->start <= page && page + PAGE_SIZE <= r->end;
    }
    return uc || !wb ? EPT_UC : EPT_WB;
}

/*
 * Walks the whole space below `top` leaf by leaf and checks every page against the model, plus the form of
 * every leaf: identity address, RWX, no IPAT, the large-page bit where it belongs. Returns pages checked.
 */
static u64 check_map(const struct ept *ept, const struct ept_layout *l, u64 top)
{
    u64 gpa = 0, pages = 0;

    while (gpa < top) {
        u64 e, size;
        int level;
        bool mapped = ept_lookup(ept, gpa, &e, &level);

        size = ept_level_size(level);
        u64 base = ALIGN_DOWN(gpa, size), end = MIN(base + size, top);
        if (mapped) {
            CHECK_EQ(e & EPT_ADDR_MASK, base);
            CHECK_EQ(e & EPT_RWX, EPT_RWX);
            CHECK_EQ(e & EPT_IGNORE_PAT, 0);
            CHECK_EQ(!!(e & EPT_LARGE_PAGE), level > 1);
            CHECK(level <= 2 || ept->use_1g);
            CHECK(level <= 1 || ept->use_2m || level == 3);
        } else {
            CHECK_EQ(e, 0);
        }
        enum ept_kind got = mapped ? ept_leaf_kind(e) : EPT_UNMAPPED;
        u64 stop = MIN(end, MAX(l->limit, gpa));    /* above the limit the model is trivially "unmapped" */
        for (u64 p = gpa; p < stop; p += PAGE_SIZE, pages++) {
            if (expected_kind(l, p) != got) {
                printf("    page 0x%llx: kind %d, expected %d (level %d)\n", (unsigned long long)p, got,
                       expected_kind(l, p), level);
                unit_failed = 1;
                return pages;
            }
        }
        if (stop < end)
            CHECK(!mapped);
        gpa = end;
    }
    return pages;
}

static enum ept_kind kind_of(const struct ept *ept, u64 gpa, int *level)
{
    u64 e;

    return ept_lookup(ept, gpa, &e, level) ? ept_leaf_kind(e) : EPT_UNMAPPED;
}

TEST(ept_flat_4g_with_1g_pages_uses_two_tables)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 4 * GiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 4 * GiB, true, true };

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 8)), EPT_OK);
    CHECK_EQ(ept.table_pages, 2);
    CHECK_EQ(p.used, 2);
    CHECK_EQ(check_map(&ept, &l, 8 * GiB), 4 * GiB / PAGE_SIZE);

    int level;
    CHECK_EQ(kind_of(&ept, 0x12345678, &level), EPT_WB);
    CHECK_EQ(level, 3);
    CHECK_EQ(kind_of(&ept, 4 * GiB, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 3);
    pool_free(&p);
}

TEST(ept_flat_4g_without_1g_pages)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 4 * GiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 4 * GiB, true, false };

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 8)), EPT_OK);
    CHECK_EQ(ept.table_pages, 6);       /* PML4, PDPT, 4 PDs of 2 MiB leaves */
    check_map(&ept, &l, 5 * GiB);
    int level;
    CHECK_EQ(kind_of(&ept, 3 * GiB + 5, &level), EPT_WB);
    CHECK_EQ(level, 2);
    pool_free(&p);
}

TEST(ept_4k_pages_only)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 8 * MiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 8 * MiB, false, false };

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 16)), EPT_OK);
    CHECK_EQ(ept.table_pages, 7);       /* PML4, PDPT, PD, 4 PTs */
    CHECK_EQ(check_map(&ept, &l, 16 * MiB), 8 * MiB / PAGE_SIZE);
    pool_free(&p);
}

/* The map Bochs 2.7 (megs: 256) hands over, as this hypervisor logs it, with the hypervisor image at 64 MiB. */
static const struct ept_range bochs_map[] = {
    { 0x0, 0x9f000, EPT_WB },
    { 0x9f000, 0xa0000, EPT_UC },
    { 0xe8000, 0x100000, EPT_UC },
    { 0x100000, 0xfff0000, EPT_WB },
    { 0xfff0000, 0x10000000, EPT_WB },         /* ACPI data is RAM */
    { 0xfffc0000, 0x100000000, EPT_UC },
    { 0x4000000, 0x4036000, EPT_UNMAPPED },     /* hypervisor image and its first pages */
};

TEST(ept_bochs_map_with_hypervisor_hole)
{
    struct pool p;
    struct ept ept;
    struct ept_layout l = { bochs_map, ARRAY_SIZE(bochs_map), 4 * GiB, true, true };
    int level;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 16)), EPT_OK);
    CHECK_EQ(check_map(&ept, &l, 8 * GiB), 4 * GiB / PAGE_SIZE);
    /* PML4, PDPT, PD for the first GiB, PTs for [0, 2M) and [64M, 66M); [1G, 4G) is uniformly UC. */
    CHECK_EQ(ept.table_pages, 5);

    CHECK_EQ(kind_of(&ept, 0x9e000, &level), EPT_WB);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x9f000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0xb8000, &level), EPT_UC);          /* VGA: in no range */
    CHECK_EQ(kind_of(&ept, 0x100000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x200000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x3fff000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x4000000, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x4035fff, &level), EPT_UNMAPPED);
    CHECK_EQ(kind_of(&ept, 0x4036000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0xffff000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x10000000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0xfee00000, &level), EPT_UC);       /* local APIC */
    CHECK_EQ(level, 3);
    pool_free(&p);
}

/* QEMU's map with 6 GiB (RAM above 4 GiB), an unaligned EBDA edge, and the APICs named as MMIO. */
static const struct ept_range qemu_map[] = {
    { 0x0, 0x9fc00, EPT_WB },
    { 0x9fc00, 0xa0000, EPT_UC },
    { 0xf0000, 0x100000, EPT_UC },
    { 0x100000, 0xbffe0000, EPT_WB },
    { 0xbffe0000, 0xc0000000, EPT_UC },
    { 0xfeffc000, 0xff000000, EPT_UC },
    { 0xfffc0000, 0x100000000, EPT_UC },
    { 0x100000000, 0x1c0000000, EPT_WB },
    { 0xfec00000, 0xfec01000, EPT_UC },
    { 0xfee00000, 0xfee01000, EPT_UC },
    { 0x4000000, 0x4400000, EPT_UNMAPPED },
};

TEST(ept_qemu_map_with_ram_above_4g)
{
    struct pool p;
    struct ept ept;
    struct ept_layout l = { qemu_map, ARRAY_SIZE(qemu_map), 0x1c0000000, true, true };
    int level;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 32)), EPT_OK);
    CHECK_EQ(check_map(&ept, &l, 16 * GiB), 0x1c0000000 / PAGE_SIZE);
    CHECK_EQ(kind_of(&ept, 0x9f000, &level), EPT_UC);          /* the page the EBDA edge cuts */
    CHECK_EQ(kind_of(&ept, 0x9e000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x4000000, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 2);                                          /* a 2 MiB-aligned hole leaves PDEs empty */
    CHECK_EQ(kind_of(&ept, 0x4400000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x40000000, &level), EPT_WB);
    CHECK_EQ(level, 3);
    CHECK_EQ(kind_of(&ept, 0xbffe0000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0xfec00000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0x100000000, &level), EPT_WB);
    CHECK_EQ(level, 3);
    CHECK_EQ(kind_of(&ept, 0x1bfffffff, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x1c0000000, &level), EPT_UNMAPPED);
    pool_free(&p);
}

TEST(ept_4k_hole_in_the_middle_of_a_1g_region)
{
    struct pool p;
    struct ept ept;
    struct ept_range r[] = { { 0, 1 * GiB, EPT_WB }, { 0x20001000, 0x20002000, EPT_UNMAPPED } };
    struct ept_layout l = { r, 2, 1 * GiB, true, true };
    int level;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 8)), EPT_OK);
    CHECK_EQ(ept.table_pages, 4);       /* PML4, PDPT, PD, one PT */
    check_map(&ept, &l, 2 * GiB);
    CHECK_EQ(kind_of(&ept, 0x20001000, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x20000fff, &level), EPT_WB);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x20002000, &level), EPT_WB);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x20200000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x1fe00000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    pool_free(&p);
}

TEST(ept_odd_edges)
{
    struct pool p;
    struct ept ept;
    /* Unaligned starts and ends everywhere; overlapping RAM; MMIO inside RAM; a hole of a few bytes. */
    struct ept_range r[] = {
        { 0x100800, 0x3ff800, EPT_WB },
        { 0x300000, 0x1234567, EPT_WB },
        { 0x1000010, 0x1000020, EPT_UC },
        { 0x2000ff0, 0x2001010, EPT_UNMAPPED },
        { 0x100001000, 0x140000000, EPT_WB },   /* above 4 GiB, starting one page past a 1 GiB boundary */
        { 0x13fe00000, 0x13fe00000, EPT_UNMAPPED }, /* empty: changes nothing */
    };
    struct ept_layout l = { r, ARRAY_SIZE(r), 0x140200000, true, true };
    int level;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 32)), EPT_OK);
    check_map(&ept, &l, 6 * GiB);
    CHECK_EQ(kind_of(&ept, 0x100000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0x101000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x3ff000, &level), EPT_WB);         /* the second range covers it */
    CHECK_EQ(kind_of(&ept, 0x1000000, &level), EPT_UC);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x1001000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x1234000, &level), EPT_UC);        /* partly RAM, partly gap */
    CHECK_EQ(kind_of(&ept, 0x2000000, &level), EPT_UNMAPPED);
    CHECK_EQ(kind_of(&ept, 0x2001000, &level), EPT_UNMAPPED);
    CHECK_EQ(kind_of(&ept, 0x2002000, &level), EPT_UC);
    CHECK_EQ(kind_of(&ept, 0x100000000, &level), EPT_UC);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x100001000, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 0x13fe00000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x140000000, &level), EPT_UC);      /* gap below the limit */
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x140200000, &level), EPT_UNMAPPED);
    pool_free(&p);
}

TEST(ept_large_maps_page_counts)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 1024 * GiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 64 * GiB, true, false };

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 80)), EPT_OK);
    CHECK_EQ(ept.table_pages, 66);      /* PML4, PDPT, 64 PDs */
    pool_free(&p);

    /* 1 TiB with 1 GiB pages crosses a PML4 entry: PML4 and two PDPTs. */
    l.limit = 1024 * GiB;
    l.use_1g = true;
    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 8)), EPT_OK);
    CHECK_EQ(ept.table_pages, 3);
    int level;
    CHECK_EQ(kind_of(&ept, 600 * GiB, &level), EPT_WB);
    CHECK_EQ(level, 3);
    CHECK_EQ(kind_of(&ept, 1024 * GiB, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 4);
    CHECK_EQ(kind_of(&ept, EPT_MAX_GPA, &level), EPT_UNMAPPED);
    pool_free(&p);
}

TEST(ept_allocation_failure_at_every_step)
{
    struct pool p;
    struct ept ept;
    struct ept_layout l = { bochs_map, ARRAY_SIZE(bochs_map), 4 * GiB, true, true };

    for (u32 cap = 0; cap < 5; cap++) {
        CHECK_EQ(ept_build(&ept, &l, pool_new(&p, cap)), EPT_NO_MEMORY);
        CHECK_EQ(p.used, cap);
        pool_free(&p);
    }
    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 5)), EPT_OK);
    pool_free(&p);
}

TEST(ept_bad_layouts)
{
    struct pool p;
    struct ept ept;
    struct ept_range backwards[] = { { 0x2000, 0x1000, EPT_WB } };
    struct ept_range bad_kind[] = { { 0x1000, 0x2000, (enum ept_kind)7 } };
    struct ept_layout l = { NULL, 0, 0, true, true };
    struct ept_mm mm = pool_new(&p, 4);

    CHECK_EQ(ept_build(&ept, &l, mm), EPT_BAD_LAYOUT);
    l.limit = 0x1800;
    CHECK_EQ(ept_build(&ept, &l, mm), EPT_BAD_LAYOUT);
    l.limit = EPT_MAX_GPA + PAGE_SIZE;
    CHECK_EQ(ept_build(&ept, &l, mm), EPT_BAD_LAYOUT);
    l = (struct ept_layout){ backwards, 1, 4 * GiB, true, true };
    CHECK_EQ(ept_build(&ept, &l, mm), EPT_BAD_LAYOUT);
    l.ranges = bad_kind;
    CHECK_EQ(ept_build(&ept, &l, mm), EPT_BAD_LAYOUT);
    CHECK_EQ(p.used, 0);
    CHECK_STR(ept_status_name(EPT_BAD_LAYOUT), "bad EPT layout or range");

    /* No ranges at all: everything below the limit is UC. */
    l = (struct ept_layout){ NULL, 0, 4 * GiB, true, true };
    CHECK_EQ(ept_build(&ept, &l, mm), EPT_OK);
    CHECK_EQ(check_map(&ept, &l, 5 * GiB), 4 * GiB / PAGE_SIZE);
    pool_free(&p);
}

TEST(ept_pointer_value)
{
    struct ept ept = { .root = 0x4100000 };

    CHECK_EQ(ept_pointer(&ept, false), 0x410001e);     /* WB (6), walk length 4 - 1 in bits 5:3 */
    CHECK_EQ(ept_pointer(&ept, true), 0x410005e);      /* + A/D enable, bit 6 */
}

TEST(ept_set_range_splits_and_remaps)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 4 * GiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 4 * GiB, true, true };
    int level;
    u64 e;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 16)), EPT_OK);
    CHECK_EQ(ept.table_pages, 2);

    /* Unmapping one page splits its 1 GiB page into 2 MiB pages and one 2 MiB page into 4 KiB pages. */
    CHECK_EQ(ept_set_range(&ept, 0x4000000, 0x4001000, EPT_UNMAPPED), EPT_OK);
    CHECK_EQ(ept.table_pages, 4);
    struct ept_range after[] = { { 0, 4 * GiB, EPT_WB }, { 0x4000000, 0x4001000, EPT_UNMAPPED } };
    struct ept_layout l2 = { after, 2, 4 * GiB, true, true };
    check_map(&ept, &l2, 4 * GiB);
    CHECK_EQ(kind_of(&ept, 0x4000000, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x4001000, &level), EPT_WB);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 0x4200000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    CHECK_EQ(kind_of(&ept, 0x40000000, &level), EPT_WB);
    CHECK_EQ(level, 3);

    /* Remap it as MMIO: no new tables. */
    CHECK_EQ(ept_set_range(&ept, 0x4000000, 0x4001000, EPT_UC), EPT_OK);
    CHECK(ept_lookup(&ept, 0x4000000, &e, &level));
    CHECK_EQ(e & EPT_ADDR_MASK, 0x4000000);
    CHECK_EQ(ept_leaf_kind(e), EPT_UC);
    CHECK_EQ(ept.table_pages, 4);

    /* A whole GiB becomes one UC leaf; a whole 2 MiB is unmapped in place. */
    CHECK_EQ(ept_set_range(&ept, 1 * GiB, 2 * GiB, EPT_UC), EPT_OK);
    CHECK_EQ(kind_of(&ept, 1 * GiB + 12345, &level), EPT_UC);
    CHECK_EQ(level, 3);
    CHECK_EQ(ept_set_range(&ept, 0x200000, 0x400000, EPT_UNMAPPED), EPT_OK);
    CHECK_EQ(kind_of(&ept, 0x300000, &level), EPT_UNMAPPED);
    CHECK_EQ(level, 2);
    CHECK_EQ(ept.table_pages, 4);

    /* Covering a range that already has a table keeps the table: nothing leaks, all pages follow. */
    CHECK_EQ(ept_set_range(&ept, 0x4000000, 0x4200000, EPT_WB), EPT_OK);
    CHECK_EQ(ept.table_pages, 4);
    CHECK_EQ(kind_of(&ept, 0x4000000, &level), EPT_WB);
    CHECK_EQ(level, 1);

    /* Mapping beyond the built limit, and unmapping where nothing was, take no needless tables. */
    CHECK_EQ(ept_set_range(&ept, 600 * GiB, 600 * GiB + 0x3000, EPT_UNMAPPED), EPT_OK);
    CHECK_EQ(ept.table_pages, 4);
    CHECK_EQ(ept_set_range(&ept, 5 * GiB - PAGE_SIZE, 5 * GiB + PAGE_SIZE, EPT_WB), EPT_OK);
    CHECK_EQ(kind_of(&ept, 5 * GiB - PAGE_SIZE, &level), EPT_WB);
    CHECK_EQ(level, 1);
    CHECK_EQ(kind_of(&ept, 5 * GiB, &level), EPT_WB);
    CHECK_EQ(kind_of(&ept, 5 * GiB + PAGE_SIZE, &level), EPT_UNMAPPED);
    CHECK_EQ(ept.table_pages, 8);       /* two PDs and two PTs on either side of the 5 GiB boundary */

    CHECK_EQ(ept_set_range(&ept, 0x1000, 0x1800, EPT_UC), EPT_BAD_LAYOUT);
    CHECK_EQ(ept_set_range(&ept, 0x2000, 0x1000, EPT_UC), EPT_BAD_LAYOUT);
    CHECK_EQ(ept_set_range(&ept, 0, EPT_MAX_GPA + PAGE_SIZE, EPT_UC), EPT_BAD_LAYOUT);
    CHECK_EQ(ept_set_range(&ept, 0x1000, 0x1000, EPT_UC), EPT_OK);
    pool_free(&p);
}

TEST(ept_set_range_out_of_memory)
{
    struct pool p;
    struct ept ept;
    struct ept_range ram[] = { { 0, 4 * GiB, EPT_WB } };
    struct ept_layout l = { ram, 1, 4 * GiB, true, true };
    int level;

    CHECK_EQ(ept_build(&ept, &l, pool_new(&p, 3)), EPT_OK);
    CHECK_EQ(ept_set_range(&ept, 0x4000000, 0x4001000, EPT_UNMAPPED), EPT_NO_MEMORY);
    /* The 1 GiB page was split into an equivalent table; the page itself is still mapped. */
    CHECK_EQ(kind_of(&ept, 0x4000000, &level), EPT_WB);
    CHECK_EQ(level, 2);
    check_map(&ept, &l, 4 * GiB);
    pool_free(&p);
}
