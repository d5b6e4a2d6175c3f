/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for multiboot1 guest images, the guest memory map and the info block the guest receives. */
#include "kernel/multiboot_abi.h"
#include "unit.h"
#include "vm/mb1_image.h"

static u8 img[16384];
static char err[200];
static struct mb1_image mi;

static void w32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void w16(u8 *p, u16 v) { memcpy(p, &v, 2); }

/* An ELF32 executable with two PT_LOAD segments and a multiboot1 header (no a.out kludge) at 0x1000. */
static void make_elf(void)
{
    memset(img, 0, sizeof img);
    memcpy(img, "\x7f" "ELF", 4);
    img[4] = 1, img[5] = 1, img[6] = 1;
    w16(img + 16, 2);                   /* ET_EXEC */
    w16(img + 18, 3);                   /* EM_386 */
    w32(img + 24, 0x100010);            /* entry */
    w32(img + 28, 52);                  /* phoff */
    w16(img + 42, 32);
    w16(img + 44, 3);
    u8 *ph = img + 52;
    w32(ph, 1); w32(ph + 4, 0x1000); w32(ph + 12, 0x100000); w32(ph + 16, 0x2000); w32(ph + 20, 0x2000);
    ph += 32;
    w32(ph, 4);                         /* PT_NOTE: skipped */
    ph += 32;
    w32(ph, 1); w32(ph + 4, 0x3000); w32(ph + 12, 0x102000); w32(ph + 16, 0x100); w32(ph + 20, 0x5000);
    w32(img + 0x1000, MB1_HEADER_MAGIC);
    w32(img + 0x1004, 3);
    w32(img + 0x1008, -(MB1_HEADER_MAGIC + 3));
}

TEST(mb1_image_elf)
{
    make_elf();
    CHECK(mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_EQ(mi.entry, 0x100010);
    CHECK_EQ(mi.count, 2);
    CHECK_EQ(mi.seg[0].file_offset, 0x1000);
    CHECK_EQ(mi.seg[0].addr, 0x100000);
    CHECK_EQ(mi.seg[1].file_size, 0x100);
    CHECK_EQ(mi.seg[1].mem_size, 0x5000);
}

TEST(mb1_image_bad_elf)
{
    make_elf();
    CHECK(!mb1_image_parse(img, 0x3080, &mi, err, sizeof err));
    CHECK_STR(err, "truncated ELF: segment 2 (256 bytes at offset 12288) runs past the end of the file");
    make_elf();
    img[4] = 2;
    CHECK(!mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_STR(err, "ELF is not 32-bit little-endian i386 (class 2, data 1, machine 3)");
    make_elf();
    w16(img + 44, 400);
    CHECK(!mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_STR(err, "truncated ELF: program headers (400 of 32 bytes at 52) run past the end of the file");
    make_elf();
    memcpy(img, "MZ\0\0", 4);
    CHECK(!mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_STR(err, "not an ELF file and no a.out kludge in the multiboot1 header (unknown format)");
    make_elf();
    w32(img + 0x1008, 0);               /* bad checksum: no header at all */
    CHECK(!mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_STR(err, "no multiboot1 header in the first 8192 bytes");
}

TEST(mb1_image_aout_kludge)
{
    memset(img, 0, sizeof img);
    u8 *h = img + 0x40;                 /* header 0x40 bytes into a flat image loaded at 0x200000 */
    u32 flags = 3 | (1 << 16);
    w32(h, MB1_HEADER_MAGIC); w32(h + 4, flags); w32(h + 8, -(MB1_HEADER_MAGIC + flags));
    w32(h + 12, 0x200040); w32(h + 16, 0x200000); w32(h + 20, 0x201000); w32(h + 24, 0x208000);
    w32(h + 28, 0x200080);
    CHECK(mb1_image_parse(img, 0x1000, &mi, err, sizeof err));
    CHECK_EQ(mi.entry, 0x200080);
    CHECK_EQ(mi.count, 1);
    CHECK_EQ(mi.seg[0].file_offset, 0);
    CHECK_EQ(mi.seg[0].file_size, 0x1000);
    CHECK_EQ(mi.seg[0].mem_size, 0x8000);
    CHECK(!mb1_image_parse(img, 0x800, &mi, err, sizeof err));
    CHECK_STR(err, "truncated image: 4096 bytes to load from offset 0, the file has 2048");
    w32(h + 12, 0x1FFF00);              /* header_addr below load_addr */
    CHECK(!mb1_image_parse(img, 0x1000, &mi, err, sizeof err));
    CHECK_STR(err, "multiboot1 a.out header: header_addr 0x1fff00 is before load_addr 0x200000 or the file start");
}

TEST(guest_mmap_cuts_out_the_hypervisor)
{
    struct mem_entry in[] = { { 0, 0x9fc00, MEM_USABLE }, { 0x100000, 0xfee0000, MEM_USABLE },
                              { 0xfffc0000, 0x40000, MEM_RESERVED } };
    struct mem_entry out[8];
    u32 n = guest_mmap(in, 3, (struct range){ 0x4000000, 0x4a00000 }, out, 8);
    CHECK_EQ(n, 5);
    CHECK_EQ(out[1].base, 0x100000);
    CHECK_EQ(out[1].length, 0x3f00000);
    CHECK_EQ(out[2].base, 0x4000000);
    CHECK_EQ(out[2].length, 0xa00000);
    CHECK_EQ(out[2].type, MEM_RESERVED);
    CHECK_EQ(out[3].base, 0x4a00000);
    CHECK_EQ(out[3].base + out[3].length, 0xffe0000);
    CHECK_EQ(out[3].type, MEM_USABLE);
    CHECK_EQ(guest_mmap(in, 3, (struct range){ 0x4000000, 0x4a00000 }, out, 4), 0);   /* no room: refused */
}

static u8 block[4096];

static const void *block_map(void *ctx, u64 addr, u64 len)
{
    (void)ctx;
    return addr >= 0x9000 && addr + len <= 0x9000 + sizeof block ? block + (addr - 0x9000) : NULL;
}

TEST(mb1_info_round_trip)
{
    struct mem_entry map[] = { { 0, 0x9fc00, MEM_USABLE }, { 0x100000, 0x3f00000, MEM_USABLE },
                               { 0x4000000, 0xa00000, MEM_RESERVED }, { 0x4a00000, 0xb5e0000, MEM_USABLE } };
    struct mb1_guest_module mods[] = { { 0x200000, 0x201234, "env cpus=2" }, { 0x202000, 0x203000, "" } };
    u32 used = mb1_info_build(block, sizeof block, 0x9000, map, 4, "verbose=1", "hypervisor", mods, 2);
    CHECK(used > 0);
    struct boot_info bi;
    CHECK(boot_info_parse(MB1_BOOTLOADER_MAGIC, 0x9000, block_map, NULL, (struct range){ 0x4000000, 0x4a00000 },
                          &bi, err, sizeof err));
    CHECK_STR(bi.cmdline, "verbose=1");
    CHECK_STR(bi.loader, "hypervisor");
    CHECK_EQ(bi.mmap_count, 4);
    CHECK_EQ(bi.mmap[2].base, 0x4000000);
    CHECK_EQ(bi.mmap[2].type, MEM_RESERVED);
    CHECK_EQ(bi.module_count, 2);
    CHECK_EQ(bi.modules[0].range.start, 0x200000);
    CHECK_EQ(bi.modules[0].range.end, 0x201234);
    CHECK_STR(bi.modules[0].cmdline, "env cpus=2");
    CHECK_STR(bi.modules[1].cmdline, "");
    const struct mb1_info *info = (const void *)block;
    CHECK_EQ(info->mem_lower, 639);
    CHECK_EQ(info->mem_upper, 0x3f00000 / 1024);
    CHECK_EQ(mb1_info_build(block, 100, 0x9000, map, 4, "x", "y", NULL, 0), 0);     /* too small: refused */
    CHECK_EQ(mb1_info_build(block, used - 1, 0x9000, map, 4, "verbose=1", "hypervisor", mods, 2), 0);
    /* Without modules the list is empty (the flag says so: a count of 0). */
    CHECK(mb1_info_build(block, sizeof block, 0x9000, map, 4, "", "hypervisor", NULL, 0));
    CHECK_EQ(info->mods_count, 0);
    CHECK(info->flags & MB1_INFO_MODS);
}

TEST(mb1_image_elf_higher_half_entry)
{
    make_elf();
    w32(img + 52 + 8, 0xC0100000);      /* first segment: virtual 0xC0100000, physical 0x100000 */
    w32(img + 24, 0xC0100010);          /* entry in its virtual range */
    CHECK(mb1_image_parse(img, 0x3100, &mi, err, sizeof err));
    CHECK_EQ(mi.entry, 0x100010);
    CHECK_EQ(mi.seg[0].addr, 0x100000);
}
