/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the bzImage setup header checks and the zero page the Linux loader builds. */
#include "unit.h"
#include "vm/linux_image.h"

static u8 img[0x4000], zp[LINUX_ZERO_PAGE];
static char err[200];
static struct linux_image li;

static void w32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void w16(u8 *p, u16 v) { memcpy(p, &v, 2); }
static u32 r32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }
static u64 r64(const u8 *p) { u64 v; memcpy(&v, p, 8); return v; }

/* A bzImage as Linux 6.1 lays it out: 3 setup sectors after the boot sector, protocol 2.15, relocatable. */
static void make_bzimage(void)
{
    memset(img, 0, sizeof img);
    img[0x1F1] = 3;                             /* setup_sects: the kernel starts at 0x800 */
    w32(img + 0x1F4, (sizeof img - 0x800) / 16);  /* syssize */
    w16(img + 0x1FE, 0xAA55);
    img[0x200] = 0xEB, img[0x201] = 0x6A;       /* jmp: the header ends at 0x26C */
    memcpy(img + 0x202, "HdrS", 4);
    w16(img + 0x206, 0x020F);
    img[0x211] = 0x01 | 0x20 | 0x80;            /* LOADED_HIGH, QUIET, CAN_USE_HEAP */
    w32(img + 0x214, 0x100000);
    w16(img + 0x224, 0xDE00);                   /* heap_end_ptr */
    w32(img + 0x22C, 0x7FFFFFFF);
    w32(img + 0x230, 0x200000);
    img[0x234] = 1;
    w16(img + 0x236, 0x7F);
    w32(img + 0x238, 0x7FF);
    w32(img + 0x258, 0x1000000);
    w32(img + 0x25C, 0);
    w32(img + 0x260, 0x3378000);
    w32(img + 0x264, 0x12345);                  /* handover_offset: copied, not used */
    img[0x26C] = 0x77;                          /* past the header: not copied */
}

TEST(linux_image_parse_6_1)
{
    make_bzimage();
    CHECK(linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_EQ(li.protocol, 0x020F);
    CHECK_EQ(li.setup_size, 0x800);
    CHECK_EQ(li.kernel_offset, 0x800);
    CHECK_EQ(li.kernel_size, sizeof img - 0x800);
    CHECK(li.relocatable);
    CHECK_EQ(li.alignment, 0x200000);
    CHECK_EQ(li.pref_address, 0x1000000);
    CHECK_EQ(li.init_size, 0x3378000);
    CHECK_EQ(li.initrd_addr_max, 0x7FFFFFFF);
    CHECK_EQ(li.cmdline_size, 0x7FF);
    CHECK_EQ(li.header_end, 0x26C);
    img[0x1F1] = 0;                             /* setup_sects 0 means 4 */
    w32(img + 0x1F4, 0x100);
    CHECK(linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_EQ(li.setup_size, 0xA00);
}

TEST(linux_image_parse_refusals)
{
    make_bzimage();
    CHECK(!linux_image_parse(img, 0x200, &li, err, sizeof err));
    CHECK_STR(err, "not a Linux bzImage (no boot flag 0xAA55 and \"HdrS\" setup header)");
    img[0x203] = 'D';
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "not a Linux bzImage (no boot flag 0xAA55 and \"HdrS\" setup header)");
    make_bzimage();
    w16(img + 0x206, 0x0209);
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "Linux boot protocol 2.09 is too old (2.10 or later is needed)");
    make_bzimage();
    img[0x211] = 0;
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "a zImage (loaded low) is not supported: a bzImage is needed");
    make_bzimage();
    img[0x201] = 0x10;
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "the setup header's length (it ends at 0x212) is not what protocol 2.15 has");
    make_bzimage();
    img[0x1F1] = 40;
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "truncated bzImage: the setup code (20992 bytes) is the whole file of 16384 bytes");
    make_bzimage();
    CHECK(!linux_image_parse(img, sizeof img - 16, &li, err, sizeof err));
    CHECK_STR(err, "truncated bzImage: the kernel has 14320 bytes, its header says 14336");
    make_bzimage();
    w32(img + 0x230, 0x300000);
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "kernel_alignment 0x300000 is not a power of two of at least a page");
    make_bzimage();
    w32(img + 0x260, 0x100);
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "init_size 0x100 is smaller than the kernel (14336 bytes)");
    make_bzimage();
    w32(img + 0x258, 0xFF000000);
    w32(img + 0x260, 0x2000000);
    CHECK(!linux_image_parse(img, sizeof img, &li, err, sizeof err));
    CHECK_STR(err, "pref_address 0xff000000 with init_size 0x2000000 is not between 1 MiB and 4 GiB");
}

TEST(linux_zero_page)
{
    static const struct mem_entry map[] = {
        { 0, 0x9fc00, 1 }, { 0x100000, 0x3f00000, 1 }, { 0x4000000, 0xa00000, 2 }, { 0x4a00000, 0xb600000, 1 },
    };
    struct linux_boot b = { .cmdline = 0x2000, .initrd = 0xf000000, .initrd_size = 0x123456, .rsdp = 0xf5a80,
                            .e820 = map, .e820_count = 4 };
    make_bzimage();
    CHECK(linux_image_parse(img, sizeof img, &li, err, sizeof err));
    memset(zp, 0xCC, sizeof zp);
    CHECK(linux_zero_page_build(zp, img, &li, &b));
    CHECK_EQ(zp[0], 0);                         /* screen_info and the rest: zero */
    CHECK_EQ(zp[0x1EF], 0);                     /* sentinel: the loader cleared what it does not know */
    CHECK_EQ(zp[0x1F1], 3);
    CHECK(memcmp(zp + 0x202, "HdrS", 4) == 0);
    CHECK_EQ(r32(zp + 0x264), 0x12345);
    CHECK_EQ(zp[0x26C], 0);                     /* past the header */
    CHECK_EQ(zp[0x210], 0xFF);
    CHECK_EQ(zp[0x211], 0x21);                  /* LOADED_HIGH and QUIET kept, no heap */
    CHECK_EQ(r32(zp + 0x224) & 0xFFFF, 0);
    CHECK_EQ(r32(zp + 0x228), 0x2000);
    CHECK_EQ(r32(zp + 0x218), 0xf000000);
    CHECK_EQ(r32(zp + 0x21C), 0x123456);
    CHECK_EQ(r64(zp + 0x70), 0xf5a80);
    CHECK_EQ(zp[0x1E8], 4);
    CHECK_EQ(r64(zp + 0x2D0 + 3 * 20), 0x4a00000);
    CHECK_EQ(r64(zp + 0x2D0 + 3 * 20 + 8), 0xb600000);
    CHECK_EQ(r32(zp + 0x2D0 + 2 * 20 + 16), 2);
    CHECK_EQ(zp[0x2D0 + 4 * 20], 0);
    b.initrd = 0xfffff000;                      /* the initrd's end does not fit 32 bits */
    CHECK(!linux_zero_page_build(zp, img, &li, &b));
    b.initrd = 0, b.initrd_size = 0, b.e820_count = LINUX_E820_MAX + 1;
    CHECK(!linux_zero_page_build(zp, img, &li, &b));
}
