/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the guest-memory range check: every reason, and the edges of each. */
#include "unit.h"
#include "vm/guest_memory.h"

#define HV_START 0x4000000ULL
#define HV_END   0x4A00000ULL

/* A PC-like map, out of order: low RAM, the BIOS hole, RAM from 1 MiB split in two at 32 MiB, RAM around the
 * hypervisor's block, a hole up to the MMIO below 4 GiB (no entry), RAM above 4 GiB. */
static const struct mem_entry map[] = {
    { 0x2000000, 0x2000000, MEM_USABLE },       /* 32-64 MiB: joins the entry below */
    { 0, 0x9F000, MEM_USABLE },
    { 0x9F000, 0x61000, MEM_RESERVED },
    { 0x100000, 0x1F00000, MEM_USABLE },        /* 1-32 MiB */
    { 0x4000000, 0xC000000, MEM_USABLE },       /* 64-256 MiB, the hypervisor's block at its start */
    { 0xFEC00000, 0x1000, MEM_RESERVED },
    { 0x100000000, 0x40000000, MEM_USABLE },    /* 4-5 GiB */
};
static struct guest_memory mem_storage;
#define mem (*pc_memory())

static const struct guest_memory *pc_memory(void)
{
    guest_memory_init(&mem_storage, map, ARRAY_SIZE(map), (struct range){ HV_START, HV_END }, 0x100000000ULL);
    return &mem_storage;
}

TEST(guest_memory_ram)
{
    CHECK_EQ(guest_memory_check(&mem, 0x1000, 8), GPA_OK);
    CHECK_EQ(guest_memory_check(&mem, 0, 0x9F000), GPA_OK);
    CHECK_EQ(guest_memory_check(&mem, 0x9EFFF, 1), GPA_OK);
    CHECK_EQ(guest_memory_check(&mem, 0x9EFFF, 2), GPA_NOT_RAM);     /* runs into the BIOS hole */
    CHECK_EQ(guest_memory_check(&mem, 0x9F000, 1), GPA_NOT_RAM);
    CHECK_EQ(guest_memory_check(&mem, 0xFEC00000, 4), GPA_NOT_RAM); /* MMIO */
    CHECK_EQ(guest_memory_check(&mem, 0xFFFFFF8, 16), GPA_NOT_RAM); /* past the end of RAM into a hole */
}

TEST(guest_memory_zero_length)
{
    CHECK_EQ(guest_memory_check(&mem, 0x1000, 0), GPA_EMPTY);
    CHECK_EQ(guest_memory_check(&mem, HV_START, 0), GPA_EMPTY);
    CHECK_EQ(guest_memory_check(&mem, ~0ULL, 0), GPA_EMPTY);
}

TEST(guest_memory_straddles_two_entries)
{
    CHECK_EQ(guest_memory_check(&mem, 0x1FFFFF8, 16), GPA_OK);      /* 1-32 MiB into 32-64 MiB */
    CHECK_EQ(guest_memory_check(&mem, 0x100000, 0x3F00000), GPA_OK);    /* both whole, up to the hypervisor */
    CHECK_EQ(guest_memory_check(&mem, 0x9E000, 0x70000), GPA_NOT_RAM);  /* across the reserved BIOS area */
}

TEST(guest_memory_hypervisor_edges)
{
    CHECK_EQ(guest_memory_check(&mem, HV_START - 8, 8), GPA_OK);    /* ends where the block starts */
    CHECK_EQ(guest_memory_check(&mem, HV_START - 8, 9), GPA_HYPERVISOR);
    CHECK_EQ(guest_memory_check(&mem, HV_START, 1), GPA_HYPERVISOR);
    CHECK_EQ(guest_memory_check(&mem, HV_END - 1, 1), GPA_HYPERVISOR);
    CHECK_EQ(guest_memory_check(&mem, HV_END - 1, 2), GPA_HYPERVISOR);
    CHECK_EQ(guest_memory_check(&mem, HV_END, 8), GPA_OK);          /* starts where the block ends */
    CHECK_EQ(guest_memory_check(&mem, 0x3000000, 0x2000000), GPA_HYPERVISOR);   /* covers all of it */
}

TEST(guest_memory_wraps)
{
    CHECK_EQ(guest_memory_check(&mem, ~0ULL - 7, 16), GPA_WRAPS);
    CHECK_EQ(guest_memory_check(&mem, 2, ~0ULL), GPA_WRAPS);
    CHECK_EQ(guest_memory_check(&mem, ~0ULL, 1), GPA_NOT_RAM);      /* the last byte: ends at 2^64, no wrap */
    CHECK_EQ(guest_memory_check(&mem, 1, ~0ULL), GPA_HYPERVISOR);   /* [1, 2^64) covers the block */
}

TEST(guest_memory_above_4g)
{
    CHECK_EQ(guest_memory_check(&mem, 0x100000000ULL, 8), GPA_BEYOND_IDMAP);
    CHECK_EQ(guest_memory_check(&mem, 0xFFFFFFF8ULL, 16), GPA_NOT_RAM);     /* the hole below 4 GiB first */
    CHECK_EQ(guest_memory_check(&mem, 0x13FFFFFF8ULL, 16), GPA_NOT_RAM);    /* past the end of that RAM */
    /* An entry that reaches 2^64: no overflow while following it. */
    static const struct mem_entry top[] = { { 0xFFFFFFFF00000000ULL, 0x100000000ULL, MEM_USABLE } };
    struct guest_memory m;
    guest_memory_init(&m, top, 1, (struct range){ 0, 0 }, 0x100000000ULL);
    CHECK_EQ(guest_memory_check(&m, ~0ULL, 1), GPA_BEYOND_IDMAP);
    m.reach = ~0ULL;
    CHECK_EQ(guest_memory_check(&m, ~0ULL - 15, 15), GPA_OK);
}

TEST(guest_memory_empty_map)
{
    struct guest_memory m;
    guest_memory_init(&m, map, 0, (struct range){ HV_START, HV_END }, 0x100000000ULL);
    CHECK_EQ(guest_memory_check(&m, 0x1000, 8), GPA_NOT_RAM);
}

/* The spans guest_memory_init builds: sorted, overlapping and touching entries merged, others kept apart. */
TEST(guest_memory_spans_merged)
{
    static const struct mem_entry messy[] = {
        { 0x3000, 0x1000, MEM_USABLE },         /* touches the next two: [0x1000, 0x5000) */
        { 0x8000, 0x1000, MEM_USABLE },         /* a gap before it */
        { 0x1000, 0x2000, MEM_USABLE },
        { 0x3800, 0x1800, MEM_USABLE },         /* overlaps the first */
        { 0x5000, 0x3000, MEM_RESERVED },       /* not RAM: the gap stays */
        { 0x9000, 0, MEM_USABLE },              /* empty: ignored */
        { 0xFFFFFFFFFFFFF000ULL, 0x2000, MEM_USABLE },  /* runs past 2^64: cut there */
        { 0xFFFFFFFFFFFFE000ULL, 0x1000, MEM_USABLE },  /* touches it */
    };
    struct guest_memory m;
    guest_memory_init(&m, messy, ARRAY_SIZE(messy), (struct range){ 0, 0 }, ~0ULL);
    CHECK_EQ(m.spans, 3);
    CHECK_EQ(m.span[0].first, 0x1000);
    CHECK_EQ(m.span[0].last, 0x4FFF);
    CHECK_EQ(m.span[1].first, 0x8000);
    CHECK_EQ(m.span[1].last, 0x8FFF);
    CHECK_EQ(m.span[2].first, 0xFFFFFFFFFFFFE000ULL);
    CHECK_EQ(m.span[2].last, ~0ULL);
    CHECK_EQ(guest_memory_check(&m, 0x1000, 0x4000), GPA_OK);
    CHECK_EQ(guest_memory_check(&m, 0x4FFF, 2), GPA_NOT_RAM);
    CHECK_EQ(guest_memory_check(&m, 0x7FFF, 2), GPA_NOT_RAM);
    CHECK_EQ(guest_memory_check(&m, 0x8000, 0x1000), GPA_OK);
    CHECK_EQ(guest_memory_check(&m, 0xFFFFFFFFFFFFEFF8ULL, 0x1007), GPA_OK);    /* across the two, below the reach */
    CHECK_EQ(guest_memory_check(&m, 0xFFF, 1), GPA_NOT_RAM);
}

TEST(guest_memory_refusal_names)
{
    CHECK_STR(gpa_refusal_name(GPA_HYPERVISOR), "hypervisor");
    CHECK_STR(gpa_refusal_name(GPA_NOT_RAM), "not-ram");
    for (int a = GPA_OK; a <= GPA_BEYOND_IDMAP; a++) {
        CHECK(strcmp(gpa_refusal_name((enum gpa_refusal)a), "unknown") != 0);
        for (int b = a + 1; b <= GPA_BEYOND_IDMAP; b++)
            CHECK(strcmp(gpa_refusal_name((enum gpa_refusal)a), gpa_refusal_name((enum gpa_refusal)b)) != 0);
    }
}
