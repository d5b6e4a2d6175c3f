/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the multiboot1/2 info parser: crafted good and bad info blocks. */
#include "kernel/multiboot.h"
#include "kernel/multiboot_abi.h"
#include "unit.h"

/* A fake physical memory window: 64 KiB at FAKE_BASE. */
#define FAKE_BASE 0x10000
static _Alignas(8) unsigned char mem[64 * 1024];
static char err[256];
static const struct range HV = { 0x4000000, 0x4200000 };

static const void *fake_map(void *ctx, u64 addr, u64 len)
{
    (void)ctx;
    if (addr < FAKE_BASE || addr + len > FAKE_BASE + sizeof mem || addr + len < addr)
        return NULL;
    return mem + (addr - FAKE_BASE);
}

/* ---- multiboot2 block builder: the info block starts at FAKE_BASE ---- */
static u32 mb2_len;

static void mb2_begin(void)
{
    memset(mem, 0, sizeof mem);
    mb2_len = 8;
}

static void mb2_tag(u32 type, const void *body, u32 body_len)
{
    struct mb2_tag t = { type, 8 + body_len };
    memcpy(mem + mb2_len, &t, 8);
    if (body_len)
        memcpy(mem + mb2_len + 8, body, body_len);
    mb2_len = (mb2_len + 8 + body_len + 7) & ~7u;
}

static void mb2_mmap(const struct mb2_mmap_entry *e, u32 n)
{
    unsigned char body[8 + 24 * 16];
    u32 hdr[2] = { 24, 0 };
    memcpy(body, hdr, 8);
    memcpy(body + 8, e, 24 * n);
    mb2_tag(MB2_TAG_MMAP, body, 8 + 24 * n);
}

static void mb2_module(u32 start, u32 end, const char *line)
{
    unsigned char body[300];
    u32 se[2] = { start, end };
    memcpy(body, se, 8);
    strcpy((char *)body + 8, line);
    mb2_tag(MB2_TAG_MODULE, body, 8 + (u32)strlen(line) + 1);
}

static void mb2_end(void)
{
    mb2_tag(MB2_TAG_END, NULL, 0);
    u32 hdr[2] = { mb2_len, 0 };
    memcpy(mem, hdr, 8);
}

static const struct mb2_mmap_entry std_map[] = {
    { 0, 0x9fc00, MEM_USABLE, 0 },
    { 0x9fc00, 0x400, MEM_RESERVED, 0 },
    { 0xf0000, 0x10000, MEM_RESERVED, 0 },
    { 0x100000, 0xfee0000, MEM_USABLE, 0 },
};

static bool parse2(struct boot_info *b)
{
    return boot_info_parse(MB2_BOOTLOADER_MAGIC, FAKE_BASE, fake_map, NULL, HV, b, err, sizeof err);
}

static struct boot_info bi;

TEST(mb2_good_block)
{
    unsigned char rsdp[20] = "RSD PTR ";
    mb2_begin();
    mb2_tag(MB2_TAG_CMDLINE, "loglevel=debug", 15);
    mb2_tag(MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
    mb2_tag(MB2_TAG_BASIC_MEMINFO, "\x80\x02\0\0\0\0\0\0", 8);
    mb2_mmap(std_map, 4);
    mb2_module(0x200000, 0x201000, "type=flat addr=0x7c00");
    mb2_module(0x202000, 0x202000, "");
    mb2_tag(MB2_TAG_ACPI_OLD, rsdp, 20);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_STR(err, "");
    CHECK_EQ(bi.protocol, BOOT_MULTIBOOT2);
    CHECK_STR(bi.cmdline, "loglevel=debug");
    CHECK_STR(bi.loader, "GRUB 2.06");
    CHECK_EQ(bi.mmap_count, 4);
    CHECK_EQ(bi.mmap[3].base, 0x100000);
    CHECK_EQ(bi.mmap[3].length, 0xfee0000);
    CHECK_EQ(bi.mmap[1].type, MEM_RESERVED);
    CHECK_EQ(bi.module_count, 2);
    CHECK_EQ(bi.modules[0].range.start, 0x200000);
    CHECK_EQ(bi.modules[0].range.end, 0x201000);
    CHECK_STR(bi.modules[0].cmdline, "type=flat addr=0x7c00");
    CHECK(bi.has_rsdp_v1);
    CHECK(!bi.has_rsdp_v2);
    CHECK(memcmp(bi.rsdp_v1, "RSD PTR ", 8) == 0);
}

TEST(mb2_bad_magic_and_pointer)
{
    CHECK(!boot_info_parse(0x12345678, FAKE_BASE, fake_map, NULL, HV, &bi, err, sizeof err));
    CHECK_STR(err, "not started by a multiboot loader (magic 0x12345678; expected 0x36d76289 or 0x2badb002)");
    CHECK(!boot_info_parse(MB2_BOOTLOADER_MAGIC, 0, fake_map, NULL, HV, &bi, err, sizeof err));
    CHECK_STR(err, "multiboot2 info at 0x0 is outside readable memory");
    CHECK(!boot_info_parse(MB2_BOOTLOADER_MAGIC, FAKE_BASE + 4, fake_map, NULL, HV, &bi, err, sizeof err));
    CHECK_STR(err, "multiboot2 info at 0x10004 is not 8-byte aligned");
}

TEST(mb2_total_size_checks)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_end();
    ((u32 *)mem)[0] = 8;
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info total_size 8 is implausible");
    ((u32 *)mem)[0] = 0x7fffffff;
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info total_size 2147483647 is implausible");
    /* Inside the sanity limit, but past the readable window. */
    ((u32 *)mem)[0] = sizeof mem + 8;
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info 0x10000+65544 is outside readable memory");
}

TEST(mb2_tag_runs_past_end)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_tag(MB2_TAG_CMDLINE, "abc", 4);
    mb2_end();
    /* Grow the command line tag's size so it runs past the block. */
    u32 cmd_off = 8 + 16 + 24 * 4;
    ((u32 *)(mem + cmd_off))[1] = 200;
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 tag type 1 at offset 120 runs past the end (size 200, 24 left)");
    ((u32 *)(mem + cmd_off))[1] = 4;
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 tag type 1 at offset 120 has size 4 (< 8)");
}

TEST(mb2_missing_end_and_mmap)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    u32 hdr[2] = { mb2_len, 0 };
    memcpy(mem, hdr, 8);
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info has no end tag (ran out at offset 120 of 120)");

    mb2_begin();
    mb2_tag(MB2_TAG_CMDLINE, "x", 2);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info has no memory map (tag type 6 or 17)");

    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_mmap(std_map, 4);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info has two memory map tags");
}

TEST(mb2_bad_mmap_entries)
{
    mb2_begin();
    u32 body[2] = { 20, 0 };
    mb2_tag(MB2_TAG_MMAP, body, 8);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 memory map entry size 20 is invalid (need a multiple of 8, >= 24)");

    struct mb2_mmap_entry wrap[] = { { 0xfffffffffffff000ull, 0x2000, MEM_USABLE, 0 } };
    mb2_begin();
    mb2_mmap(wrap, 1);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "memory map entry 0xfffffffffffff000+0x2000 wraps around");

    /* An entry size near 2^32 must not wrap the walk around (found by fuzz_multiboot): no entry fits. */
    mb2_begin();
    u32 huge[4] = { 0xFFFFFFF8u, 0, 0x1000, 0 };
    mb2_tag(MB2_TAG_MMAP, huge, 16);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 memory map holds 8 bytes, not a whole number of 4294967288-byte entries");
    CHECK_EQ(bi.mmap_count, 0);
    mb2_begin();
    mb2_mmap(std_map, 0);                               /* a map of no entries at all */
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 memory map holds 0 bytes, not a whole number of 24-byte entries");

    /* Zero-length entries are dropped, not kept. */
    struct mb2_mmap_entry z[] = { { 0x1000, 0, MEM_USABLE, 0 }, { 0x100000, 0x100000, MEM_USABLE, 0 } };
    mb2_begin();
    mb2_mmap(z, 2);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_EQ(bi.mmap_count, 1);
}

TEST(mb2_unterminated_strings)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_tag(MB2_TAG_CMDLINE, "abcd", 4);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "command line is unterminated or longer than 511 bytes");

    char longline[600];
    memset(longline, 'a', sizeof longline - 1);
    longline[sizeof longline - 1] = 0;
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_tag(MB2_TAG_CMDLINE, longline, sizeof longline);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "command line is unterminated or longer than 511 bytes");
}

TEST(mb2_module_checks)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_module(0x300000, 0x200000, "x");
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "module 0 ends (0x200000) before it starts (0x300000)");

    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_module(0x200000, 0x300000, "a");
    mb2_module(0x2ff000, 0x400000, "b");
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "modules 0 and 1 overlap");

    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_module(0x41ff000, 0x4300000, "a");
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "module 0 [0x41ff000-0x4300000) overlaps the hypervisor [0x4000000-0x4200000)");

    /* Touching but not overlapping is fine. */
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_module(0x3f00000, 0x4000000, "a");
    mb2_module(0x4200000, 0x4201000, "b");
    mb2_end();
    CHECK(parse2(&bi));

    mb2_begin();
    mb2_mmap(std_map, 4);
    for (u32 i = 0; i < BOOT_MAX_MODULES + 1; i++)
        mb2_module(0x200000 + i * 0x1000, 0x200000 + i * 0x1000 + 0x800, "m");
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "more than 16 modules");
}

TEST(mb2_acpi_tags)
{
    unsigned char v2[36] = "RSD PTR ";
    v2[15] = 2;
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_tag(MB2_TAG_ACPI_NEW, v2, 36);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK(bi.has_rsdp_v2);
    CHECK_EQ(bi.rsdp_v2[15], 2);

    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_tag(MB2_TAG_ACPI_NEW, v2, 20);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 ACPI (new RSDP) tag is too short (28 bytes)");
}

/* ---- the EFI memory map tag (type 17), as GRUB on UEFI passes it beside tag 6 ---- */
struct efi_desc { u32 type; u64 start, pages; };

/* Descriptors are descr_size apart; the bytes past the 40-byte struct are filled with junk on purpose. */
static void mb2_efi_mmap(u32 descr_size, u32 version, const struct efi_desc *d, u32 n)
{
    static unsigned char body[8 + 64 * 160];
    u32 hdr[2] = { descr_size, version };
    memset(body, 0xA5, sizeof body);
    memcpy(body, hdr, 8);
    for (u32 i = 0; i < n; i++) {
        struct efi_memory_descriptor e = { d[i].type, 0, d[i].start, 0, d[i].pages, 0xF };
        memcpy(body + 8 + i * descr_size, &e, sizeof e);
    }
    mb2_tag(MB2_TAG_EFI_MMAP, body, 8 + descr_size * n);
}

/* Shaped like OVMF's map: boot-services and loader pieces between free memory, runtime and ACPI at the top. */
static const struct efi_desc ovmf_map[] = {
    { EFI_BOOT_SERVICES_CODE, 0x0, 0x1 },
    { EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f },
    { EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700 },
    { EFI_ACPI_MEMORY_NVS, 0x800000, 0x8 },
    { EFI_CONVENTIONAL_MEMORY, 0x808000, 0x3 },
    { EFI_LOADER_DATA, 0x80b000, 0x10 },
    { EFI_BOOT_SERVICES_DATA, 0x81b000, 0x3e5 },
    { EFI_LOADER_CODE, 0xc00000, 0x100 },
    { EFI_RUNTIME_SERVICES_CODE, 0xd00000, 0x20 },
    { EFI_RUNTIME_SERVICES_DATA, 0xd20000, 0x20 },
    { EFI_ACPI_RECLAIM_MEMORY, 0xd40000, 0x12 },
    { EFI_UNUSABLE_MEMORY, 0xd52000, 0x1 },
    { EFI_CONVENTIONAL_MEMORY, 0xd53000, 0xf2ad },
    { EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400 },
    { EFI_PERSISTENT_MEMORY, 0x180000000, 0x100 },
    { 0x80000001, 0x180100000, 0x1 },     /* an OEM type: reserved */
};
#define OVMF_N (sizeof ovmf_map / sizeof ovmf_map[0])

TEST(mb2_efi_mmap_converted_and_preferred)
{
    /* 48-byte descriptors, as OVMF returns them, and tag 17 after tag 6 as GRUB orders them. */
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_efi_mmap(48, 1, ovmf_map, OVMF_N);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_STR(err, "");
    CHECK_EQ(bi.mmap_source, MMAP_EFI);
    static const struct mem_entry want[] = {
        { 0x0, 0xa0000, MEM_USABLE },           /* boot-services code merged with the free page after it */
        { 0x100000, 0x700000, MEM_USABLE },     /* not merged across the hole at 640 KiB */
        { 0x800000, 0x8000, MEM_NVS },
        { 0x808000, 0x4f8000, MEM_USABLE },     /* free + loader data + boot-services data + loader code */
        { 0xd00000, 0x40000, MEM_RESERVED },    /* runtime code and data */
        { 0xd40000, 0x12000, MEM_ACPI },
        { 0xd52000, 0x1000, MEM_BAD },
        { 0xd53000, 0xf2ad000, MEM_USABLE },
        { 0xffc00000, 0x400000, MEM_RESERVED },
        { 0x180000000, 0x101000, MEM_RESERVED }, /* persistent and OEM types */
    };
    CHECK_EQ(bi.mmap_count, sizeof want / sizeof want[0]);
    for (u32 i = 0; i < bi.mmap_count && i < sizeof want / sizeof want[0]; i++) {
        CHECK_EQ(bi.mmap[i].base, want[i].base);
        CHECK_EQ(bi.mmap[i].length, want[i].length);
        CHECK_EQ(bi.mmap[i].type, want[i].type);
    }

    /* Tag order does not matter, the exact 40-byte size is accepted, and tag 6 is not needed. */
    mb2_begin();
    mb2_efi_mmap(40, 1, ovmf_map, OVMF_N);
    mb2_mmap(std_map, 4);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_EQ(bi.mmap_source, MMAP_EFI);
    CHECK_EQ(bi.mmap_count, 10);
    mb2_begin();
    mb2_efi_mmap(64, 1, ovmf_map, 3);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_EQ(bi.mmap_count, 2);
    CHECK_EQ(bi.mmap[1].length, 0x700000);

    /* Without tag 17 the multiboot2 map is used, as on BIOS. */
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_end();
    CHECK(parse2(&bi));
    CHECK_EQ(bi.mmap_source, MMAP_MB2);
    CHECK_EQ(bi.mmap_count, 4);
}

TEST(mb2_efi_mmap_bad_tags)
{
    mb2_begin();
    mb2_mmap(std_map, 4);
    mb2_efi_mmap(32, 1, ovmf_map, 2);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 EFI memory map descriptor size 32 is invalid (need >= 40)");

    mb2_begin();
    mb2_efi_mmap(48, 2, ovmf_map, 2);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 EFI memory map descriptor version 2 is not 1");

    mb2_begin();
    mb2_tag(MB2_TAG_EFI_MMAP, "\x30\0\0", 4);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 EFI memory map tag is too short (12 bytes)");

    /* A trailing partial descriptor, and an empty map. */
    mb2_begin();
    mb2_efi_mmap(48, 1, ovmf_map, 3);
    ((u32 *)(mem + 8))[1] -= 8;
    mb2_len -= 8;
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 EFI memory map holds 136 bytes, not a whole number of 48-byte descriptors");
    mb2_begin();
    mb2_efi_mmap(48, 1, ovmf_map, 0);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 EFI memory map holds 0 bytes, not a whole number of 48-byte descriptors");

    struct efi_desc odd[] = { { EFI_CONVENTIONAL_MEMORY, 0x100800, 0x10 } };
    mb2_begin();
    mb2_efi_mmap(48, 1, odd, 1);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "EFI memory descriptor 0 starts at 0x100800, not on a 4 KiB page");

    struct efi_desc huge[] = { ovmf_map[0], { EFI_CONVENTIONAL_MEMORY, 0x100000, 1ull << 53 } };
    mb2_begin();
    mb2_efi_mmap(48, 1, huge, 2);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "EFI memory descriptor 1 has an impossible page count 0x20000000000000");

    struct efi_desc wrap[] = { { EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ull, 0x200 } };
    mb2_begin();
    mb2_efi_mmap(48, 1, wrap, 1);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "memory map entry 0xfffffffffff00000+0x200000 wraps around");

    mb2_begin();
    mb2_efi_mmap(48, 1, ovmf_map, 2);
    mb2_efi_mmap(48, 1, ovmf_map, 2);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "multiboot2 info has two EFI memory map tags");

    /* More pieces than the map holds, none of them mergeable (alternating types). */
    static struct efi_desc many[BOOT_MAX_MMAP + 1];
    for (u32 i = 0; i < BOOT_MAX_MMAP + 1; i++)
        many[i] = (struct efi_desc){ i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY,
                                     0x100000 + i * 0x1000ull, 1 };
    mb2_begin();
    mb2_efi_mmap(48, 1, many, BOOT_MAX_MMAP + 1);
    mb2_end();
    CHECK(!parse2(&bi));
    CHECK_STR(err, "memory map has more than 128 entries");
}

/* ---- multiboot1: structures live at fixed offsets of the fake window ---- */
#define MB1_INFO    0x0000
#define MB1_MMAP    0x0100
#define MB1_MODS    0x0400
#define MB1_STRINGS 0x0800

static struct mb1_info *mb1_setup(void)
{
    memset(mem, 0, sizeof mem);
    struct mb1_info *mi = (struct mb1_info *)(mem + MB1_INFO);
    struct mb1_mmap_entry e[] = {
        { 20, 0, 0x9fc00, MEM_USABLE },
        { 20, 0x100000, 0x7f00000, MEM_USABLE },
        { 20, 0xfffc0000, 0x40000, MEM_RESERVED },
    };
    memcpy(mem + MB1_MMAP, e, sizeof e);
    mi->flags = MB1_INFO_MMAP | MB1_INFO_CMDLINE | MB1_INFO_LOADER | MB1_INFO_MODS;
    mi->mmap_addr = FAKE_BASE + MB1_MMAP;
    mi->mmap_length = sizeof e;
    strcpy((char *)mem + MB1_STRINGS, "on_exit=halt");
    mi->cmdline = FAKE_BASE + MB1_STRINGS;
    strcpy((char *)mem + MB1_STRINGS + 0x40, "iPXE 1.21.1");
    mi->boot_loader_name = FAKE_BASE + MB1_STRINGS + 0x40;
    strcpy((char *)mem + MB1_STRINGS + 0x80, "type=multiboot");
    struct mb1_module m = { 0x300000, 0x340000, FAKE_BASE + MB1_STRINGS + 0x80, 0 };
    memcpy(mem + MB1_MODS, &m, sizeof m);
    mi->mods_addr = FAKE_BASE + MB1_MODS;
    mi->mods_count = 1;
    return mi;
}

static bool parse1(struct boot_info *b)
{
    return boot_info_parse(MB1_BOOTLOADER_MAGIC, FAKE_BASE + MB1_INFO, fake_map, NULL, HV, b, err, sizeof err);
}

TEST(mb1_good_block)
{
    mb1_setup();
    CHECK(parse1(&bi));
    CHECK_STR(err, "");
    CHECK_EQ(bi.protocol, BOOT_MULTIBOOT1);
    CHECK_STR(bi.cmdline, "on_exit=halt");
    CHECK_STR(bi.loader, "iPXE 1.21.1");
    CHECK_EQ(bi.mmap_count, 3);
    CHECK_EQ(bi.mmap[1].base, 0x100000);
    CHECK_EQ(bi.mmap[2].type, MEM_RESERVED);
    CHECK_EQ(bi.module_count, 1);
    CHECK_EQ(bi.modules[0].range.end, 0x340000);
    CHECK_STR(bi.modules[0].cmdline, "type=multiboot");
    CHECK(!bi.has_rsdp_v1 && !bi.has_rsdp_v2);
    CHECK_EQ(bi.mmap_source, MMAP_MB1);
}

/* iPXE puts the image's URI first, GRUB Legacy its path: dropped; a first word that is an option stays. */
TEST(mb1_image_name_dropped)
{
    static const char *const cases[][2] = {
        { "tftp://10.0.2.2/boot/hv.elf loglevel=debug on_exit=qemu", "loglevel=debug on_exit=qemu" },
        { "/boot/hypervisor.elf  loglevel=warn", "loglevel=warn" },
        { "tftp://10.0.2.2/boot/hypervisor.elf", "" },
        { "loglevel=debug /not/first", "loglevel=debug /not/first" },
        { "path=/boot/x loglevel=debug", "path=/boot/x loglevel=debug" },
        { "frobnicate loglevel=debug", "frobnicate loglevel=debug" },
        { "", "" },
    };
    for (u32 i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mb1_setup();
        strcpy((char *)mem + MB1_STRINGS, cases[i][0]);
        CHECK(parse1(&bi));
        CHECK_STR(bi.cmdline, cases[i][1]);
    }
    mb1_setup();
    strcpy((char *)mem + MB1_STRINGS + 0x80, "tftp://10.0.2.2/boot/module0 type=flat addr=0x7c00");
    CHECK(parse1(&bi));
    CHECK_STR(bi.modules[0].cmdline, "type=flat addr=0x7c00");
}

TEST(mb1_bad_blocks)
{
    struct mb1_info *mi = mb1_setup();
    mi->flags &= ~MB1_INFO_MMAP;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "multiboot1 info has no memory map (flags bit 6 clear)");

    mi = mb1_setup();
    mi->mmap_addr = 0x90000000;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "multiboot1 memory map 0x90000000+72 is outside readable memory");

    mi = mb1_setup();
    ((struct mb1_mmap_entry *)(mem + MB1_MMAP))[1].size = 400;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "multiboot1 memory map entry at offset 24 has bad size 400");

    mi = mb1_setup();
    mi->mmap_length = 30;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "multiboot1 memory map entry at offset 24 runs past the end");

    mi = mb1_setup();
    mi->cmdline = 0x20;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "command line at 0x20 is outside readable memory");

    /* A string that runs to the end of readable memory without a terminator. */
    mi = mb1_setup();
    memset(mem + sizeof mem - 16, 'x', 16);
    mi->cmdline = FAKE_BASE + sizeof mem - 16;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "command line at 0x1fff0 is outside readable memory");

    mi = mb1_setup();
    mi->mods_count = 1000;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "more than 16 modules (1000)");

    mi = mb1_setup();
    struct mb1_module *m = (struct mb1_module *)(mem + MB1_MODS);
    m->mod_start = 0x4100000;
    m->mod_end = 0x4100100;
    CHECK(!parse1(&bi));
    CHECK_STR(err, "module 0 [0x4100000-0x4100100) overlaps the hypervisor [0x4000000-0x4200000)");

    CHECK(!boot_info_parse(MB1_BOOTLOADER_MAGIC, 0x800000, fake_map, NULL, HV, &bi, err, sizeof err));
    CHECK_STR(err, "multiboot1 info at 0x800000 is outside readable memory");
}
