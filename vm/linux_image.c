/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux bzImage setup header and zero page (boot.rst: "The real-mode kernel header", "32-bit boot protocol"). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/format.h"
#include "vm/linux_image.h"

/* Setup header fields: offsets in the file and in the zero page alike. */
#define HDR_START           0x1F1
#define HDR_SETUP_SECTS     0x1F1
#define HDR_SYSSIZE         0x1F4
#define HDR_BOOT_FLAG       0x1FE
#define HDR_JUMP            0x200       /* the byte after the jump is the header's length from 0x202 */
#define HDR_MAGIC           0x202
#define HDR_VERSION         0x206
#define HDR_TYPE_OF_LOADER  0x210
#define HDR_LOADFLAGS       0x211
#define HDR_RAMDISK_IMAGE   0x218
#define HDR_RAMDISK_SIZE    0x21C
#define HDR_HEAP_END_PTR    0x224
#define HDR_CMD_LINE_PTR    0x228
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_KERNEL_ALIGN    0x230
#define HDR_RELOCATABLE     0x234
#define HDR_XLOADFLAGS      0x236
#define HDR_CMDLINE_SIZE    0x238
#define HDR_PREF_ADDRESS    0x258
#define HDR_INIT_SIZE       0x260
#define HDR_MIN_END         0x264       /* the header through init_size: what protocol 2.10 has */

/* boot_params fields outside the setup header (zero-page.rst). */
#define BP_ACPI_RSDP_ADDR   0x070
#define BP_EXT_RAMDISK_IMAGE 0x0C0
#define BP_EXT_RAMDISK_SIZE 0x0C4
#define BP_EXT_CMD_LINE_PTR 0x0C8
#define BP_E820_ENTRIES     0x1E8
#define BP_E820_TABLE       0x2D0
#define E820_ENTRY_SIZE     20

#define LOADED_HIGH         BIT(0)
#define KEEP_SEGMENTS       BIT(6)
#define CAN_USE_HEAP        BIT(7)
#define BOOT_FLAG           0xAA55
#define SECTOR              512

#define FAIL(...) (ksnprintf(err, errlen, __VA_ARGS__), false)

static u32 rd32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24; }
static u16 rd16(const u8 *p) { return (u16)(p[0] | p[1] << 8); }
static u64 rd64(const u8 *p) { return rd32(p) | (u64)rd32(p + 4) << 32; }

static void wr32(u8 *p, u32 v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (u8)(v >> (8 * i));
}

static void wr64(u8 *p, u64 v)
{
    wr32(p, (u32)v);
    wr32(p + 4, (u32)(v >> 32));
}

bool linux_image_parse(const u8 *img, u64 size, struct linux_image *out, char *err, size_t errlen)
{
    if (size < HDR_MIN_END || rd16(img + HDR_BOOT_FLAG) != BOOT_FLAG ||
        img[HDR_MAGIC] != 'H' || img[HDR_MAGIC + 1] != 'd' || img[HDR_MAGIC + 2] != 'r' || img[HDR_MAGIC + 3] != 'S')
        return FAIL("not a Linux bzImage (no boot flag 0xAA55 and \"HdrS\" setup header)");
    out->protocol = rd16(img + HDR_VERSION);
    if (out->protocol < LINUX_MIN_PROTOCOL)
        return FAIL("Linux boot protocol %u.%02u is too old (2.10 or later is needed)", out->protocol >> 8,
                    out->protocol & 0xFF);
    if (!(img[HDR_LOADFLAGS] & LOADED_HIGH))
        return FAIL("a zImage (loaded low) is not supported: a bzImage is needed");
    out->header_end = (u16)(0x202 + img[HDR_JUMP + 1]);
    if (out->header_end < HDR_MIN_END || out->header_end > size)
        return FAIL("the setup header's length (it ends at 0x%x) is not what protocol %u.%02u has", out->header_end,
                    out->protocol >> 8, out->protocol & 0xFF);
    u32 sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    out->setup_size = (u64)(sects + 1) * SECTOR;
    if (out->setup_size >= size)
        return FAIL("truncated bzImage: the setup code (%llu bytes) is the whole file of %llu bytes",
                    (unsigned long long)out->setup_size, (unsigned long long)size);
    out->kernel_offset = out->setup_size;
    out->kernel_size = size - out->setup_size;
    u64 syssize = (u64)rd32(img + HDR_SYSSIZE) * 16;
    if (syssize > out->kernel_size)
        return FAIL("truncated bzImage: the kernel has %llu bytes, its header says %llu",
                    (unsigned long long)out->kernel_size, (unsigned long long)syssize);
    out->relocatable = img[HDR_RELOCATABLE] != 0;
    out->alignment = rd32(img + HDR_KERNEL_ALIGN);
    if (out->alignment < 0x1000 || (out->alignment & (out->alignment - 1)))
        return FAIL("kernel_alignment 0x%x is not a power of two of at least a page", out->alignment);
    out->pref_address = rd64(img + HDR_PREF_ADDRESS);
    out->init_size = rd32(img + HDR_INIT_SIZE);
    if (out->init_size < out->kernel_size)
        return FAIL("init_size 0x%x is smaller than the kernel (%llu bytes)", out->init_size,
                    (unsigned long long)out->kernel_size);
    if (out->pref_address < 0x100000 || out->pref_address + out->init_size > (1ULL << 32))
        return FAIL("pref_address 0x%llx with init_size 0x%x is not between 1 MiB and 4 GiB",
                    (unsigned long long)out->pref_address, out->init_size);
    out->initrd_addr_max = rd32(img + HDR_INITRD_ADDR_MAX);
    out->cmdline_size = rd32(img + HDR_CMDLINE_SIZE);
    out->xloadflags = rd16(img + HDR_XLOADFLAGS);
    return true;
}

bool linux_zero_page_build(u8 *zp, const u8 *image, const struct linux_image *li, const struct linux_boot *b)
{
    for (u32 i = 0; i < LINUX_ZERO_PAGE; i++)
        zp[i] = 0;
    for (u32 i = HDR_START; i < li->header_end; i++)
        zp[i] = image[i];
    if (b->e820_count > LINUX_E820_MAX || b->cmdline >> 32 || (b->initrd + b->initrd_size) >> 32)
        return false;
    zp[HDR_TYPE_OF_LOADER] = LINUX_LOADER_TYPE;
    /* No real-mode setup runs: no heap, and the segments are the kernel's own business. */
    zp[HDR_LOADFLAGS] = (u8)((zp[HDR_LOADFLAGS] | LOADED_HIGH) & ~(CAN_USE_HEAP | KEEP_SEGMENTS));
    zp[HDR_HEAP_END_PTR] = zp[HDR_HEAP_END_PTR + 1] = 0;
    wr32(zp + HDR_CMD_LINE_PTR, (u32)b->cmdline);
    wr32(zp + HDR_RAMDISK_IMAGE, (u32)b->initrd);
    wr32(zp + HDR_RAMDISK_SIZE, (u32)b->initrd_size);
    wr32(zp + BP_EXT_RAMDISK_IMAGE, 0);
    wr32(zp + BP_EXT_RAMDISK_SIZE, 0);
    wr32(zp + BP_EXT_CMD_LINE_PTR, 0);
    wr64(zp + BP_ACPI_RSDP_ADDR, b->rsdp);
    zp[BP_E820_ENTRIES] = (u8)b->e820_count;
    for (u32 i = 0; i < b->e820_count; i++) {
        u8 *e = zp + BP_E820_TABLE + i * E820_ENTRY_SIZE;
        wr64(e, b->e820[i].base);
        wr64(e + 8, b->e820[i].length);
        wr32(e + 16, b->e820[i].type);
    }
    return true;
}
