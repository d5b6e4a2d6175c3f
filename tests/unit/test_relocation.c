/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the relocation arithmetic: where the hypervisor's block goes, and the fix-ups of a moved copy. */
#include "kernel/relocation.h"
#include "unit.h"

#define BLOCK   0x400000ULL     /* a 4 MiB block (10 to 41 CPUs) */
#define ALIGN   0x200000ULL
#define LIMIT   0x100000000ULL
#define FLOOR   0x100000ULL

static u64 pick(const struct mem_entry *map, u32 n, const struct range *avoid, u32 navoid)
{
    return reloc_pick_top(map, n, avoid, navoid, BLOCK, ALIGN, FLOOR, LIMIT);
}

/* Bochs, megs: 256: ACPI data at the top of RAM. */
static const struct mem_entry bochs_256[] = {
    { 0, 0x9f000, MEM_USABLE },
    { 0x9f000, 0x1000, MEM_RESERVED },
    { 0xe8000, 0x18000, MEM_RESERVED },
    { 0x100000, 0xfef0000, MEM_USABLE },         /* up to 0xfff0000 */
    { 0xfff0000, 0x10000, MEM_ACPI },
    { 0xfffc0000, 0x40000, MEM_RESERVED },
};

TEST(reloc_top_of_ram_aligned_down_below_acpi)
{
    struct range image = { 0x4000000, 0x4068000 };
    CHECK_EQ(pick(bochs_256, 6, &image, 1), 0xfa00000);     /* 0xfff0000 - 4 MiB, down to 2 MiB */
}

TEST(reloc_stays_below_4_gib_and_skips_the_pci_hole)
{
    /* QEMU with 6 GiB: 3 GiB low, the rest from 4 GiB up; the block never goes above 4 GiB. */
    static const struct mem_entry map[] = {
        { 0, 0x9fc00, MEM_USABLE },
        { 0x100000, 0xbfee0000 - 0x100000, MEM_USABLE },
        { 0xbfee0000, 0x20000, MEM_RESERVED },
        { 0xfeffc000, 0x4000, MEM_RESERVED },
        { 0x100000000ULL, 0xc0000000ULL, MEM_USABLE },
    };
    CHECK_EQ(pick(map, 5, NULL, 0), 0xbfa00000);            /* above 2 GiB: fix-ups must be 64-bit or 32-bit */
}

TEST(reloc_adjacent_usable_entries_count_as_one)
{
    /* EFI maps split RAM by type: conventional memory, boot services data, loader data, side by side. */
    static const struct mem_entry map[] = {
        { 0x100000, 0x7f00000, MEM_USABLE },                /* up to 0x8000000 */
        { 0x8000000, 0x100000, MEM_USABLE },
        { 0x8100000, 0x200000, MEM_USABLE },                /* up to 0x8300000 */
        { 0x8300000, 0x100000, MEM_NVS },
    };
    CHECK_EQ(pick(map, 4, NULL, 0), 0x7e00000);             /* straddles three entries */
}

TEST(reloc_overlapping_reserved_entry_wins)
{
    /* A firmware map whose usable entry overlaps a reserved one: the reserved part is not RAM. */
    static const struct mem_entry map[] = {
        { 0x100000, 0xff00000, MEM_USABLE },                /* up to 0x10000000 */
        { 0xfe00000, 0x10000, MEM_RESERVED },
    };
    CHECK_EQ(pick(map, 2, NULL, 0), 0xfa00000);             /* below it: above it are not 4 MiB */
}

TEST(reloc_avoids_modules_and_the_running_image)
{
    struct range avoid[] = {
        { 0x4000000, 0x4068000 },                           /* the image where the loader put it */
        { 0xfc00000, 0xfc10000 },                           /* a module near the top */
    };
    CHECK_EQ(pick(bochs_256, 6, avoid, 2), 0xf800000);      /* just below the module */
    /* A module at the very top of the only range that fits: the next candidate is below it. */
    struct range big[] = { { 0x4000000, 0x4068000 }, { 0x8000000, 0xfff0000 } };
    CHECK_EQ(pick(bochs_256, 6, big, 2), 0x7c00000);
}

TEST(reloc_small_machine_and_no_room)
{
    /* 70 MiB: the free place above the image is too small, so the highest block is below it (and the caller
     * keeps the image where it is); with 6 MiB above it, the block goes just above the image. */
    static const struct mem_entry map[] = { { 0x100000, 0x4400000, MEM_USABLE } };   /* up to 0x4500000 */
    struct range image = { 0x4000000, 0x4068000 };
    CHECK_EQ(pick(map, 1, &image, 1), 0x3c00000);
    static const struct mem_entry map2[] = { { 0x100000, 0x4500000, MEM_USABLE } };  /* up to 0x4600000 */
    CHECK_EQ(pick(map2, 1, &image, 1), 0x4200000);
    /* Less RAM than a block, or the floor above everything: nothing. */
    static const struct mem_entry tiny[] = { { 0x100000, 0x300000, MEM_USABLE } };
    CHECK_EQ(pick(tiny, 1, NULL, 0), 0);
    CHECK_EQ(reloc_pick_top(map, 1, NULL, 0, BLOCK, ALIGN, 0x4400000, LIMIT), 0);
    CHECK_EQ(pick(map, 0, NULL, 0), 0);
}

TEST(reloc_bad_arguments)
{
    CHECK_EQ(reloc_pick_top(bochs_256, 6, NULL, 0, 0, ALIGN, FLOOR, LIMIT), 0);
    CHECK_EQ(reloc_pick_top(bochs_256, 6, NULL, 0, BLOCK, 0x300000, FLOOR, LIMIT), 0);     /* not a power of 2 */
    CHECK_EQ(reloc_pick_top(bochs_256, 6, NULL, 0, BLOCK, 0x1000, FLOOR, LIMIT), 0xfff0000 - BLOCK);
}

TEST(reloc_apply_fixes_64_and_32_bit_fields)
{
    u8 image[32] = { 0 };
    u64 p64 = 0x4001234;
    u32 p32 = 0x4000040;
    __builtin_memcpy(image + 3, &p64, 8);                   /* unaligned, as in a packed struct */
    __builtin_memcpy(image + 16, &p32, 4);
    const u32 table[] = { 3, 16 | RELOC_WORD32 };
    CHECK(reloc_apply(image, sizeof image, table, 2, 0xba00000));
    __builtin_memcpy(&p64, image + 3, 8);
    __builtin_memcpy(&p32, image + 16, 4);
    CHECK_EQ(p64, 0xfa01234);
    CHECK_EQ(p32, 0xfa00040);
    CHECK_EQ(image[11], 0);                                 /* the neighbours untouched */
    CHECK_EQ(image[20], 0);
}

TEST(reloc_apply_refuses_bad_tables_whole)
{
    u8 image[16] = { 0 };
    u32 p32 = 0x4000000;
    __builtin_memcpy(image, &p32, 4);
    const u32 outside[] = { 0 | RELOC_WORD32, 12 };         /* the second runs past the end */
    CHECK(!reloc_apply(image, sizeof image, outside, 2, 0x1000));
    __builtin_memcpy(&p32, image, 4);
    CHECK_EQ(p32, 0x4000000);                               /* nothing changed: all or nothing */
    const u32 overflow[] = { 0 | RELOC_WORD32 };            /* a 32-bit field cannot go past 4 GiB */
    CHECK(!reloc_apply(image, sizeof image, overflow, 1, 0xfc000000));
    CHECK(reloc_apply(image, sizeof image, overflow, 1, 0xbc000000));
    CHECK(reloc_apply(image, sizeof image, NULL, 0, 0x1000));
}

TEST(reloc_block_size_grows_with_cpus_in_2_mib_steps)
{
    const u64 image = 0x69000, base = 0x100000, cpu = 0x10000;
    CHECK_EQ(reloc_block_size(image, 1, base, cpu, ALIGN), 0x200000);
    CHECK_EQ(reloc_block_size(image, 0, base, cpu, ALIGN), 0x200000);     /* no MADT: the boot CPU */
    CHECK_EQ(reloc_block_size(image, 9, base, cpu, ALIGN), 0x200000);     /* 0x1f9000 */
    CHECK_EQ(reloc_block_size(image, 10, base, cpu, ALIGN), 0x400000);
    CHECK_EQ(reloc_block_size(image, 255, base, cpu, ALIGN), 0x1200000);  /* 18 MiB */
}
