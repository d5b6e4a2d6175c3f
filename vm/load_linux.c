/* SPDX-License-Identifier: BSD-2-Clause */
/* A Linux bzImage and its initrds, started through the 32-bit boot protocol (Linux's boot.rst). */
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vm/guest_load.h"
#include "vm/linux_image.h"
#include "vm/vm.h"

#define BOOT_CS     0x10        /* the selectors the protocol names (__BOOT_CS, __BOOT_DS) */
#define BOOT_DS     0x18

/* The boot data block: the zero page, then the GDT and the command line on the page after it. */
#define BLOCK_SIZE      0x2000
#define BLOCK_GDT       0x1000
#define BLOCK_CMDLINE   0x1020
#define CMDLINE_MAX     (BLOCK_SIZE - BLOCK_CMDLINE)

static const u64 boot_gdt[] = {
    0, 0,
    0x00CF9A000000FFFFULL,      /* 0x10: code, base 0, limit 4 GiB, 32-bit */
    0x00CF92000000FFFFULL,      /* 0x18: data, base 0, limit 4 GiB */
};

/* Where the kernel runs: at pref_address when that is free, else (relocatable kernels) the lowest aligned place
 * above it; a relocatable kernel loaded below pref_address would decompress itself to pref_address anyway. */
static u64 place_kernel(struct guest_load *l, const struct linux_image *li)
{
    struct range pref = { li->pref_address, li->pref_address + li->init_size };
    if (gpa_is_free(&l->space, pref)) {
        gpa_reserve(&l->space, pref);
        pr_info("guest: %s: the kernel at [%llx-%llx) (its pref_address)", l->spec.name,
                (unsigned long long)pref.start, (unsigned long long)pref.end);
        return pref.start;
    }
    if (!li->relocatable) {
        pr_err("guest: %s: the kernel is not relocatable and [%llx-%llx), where it must run, is not free guest RAM",
               l->spec.name, (unsigned long long)pref.start, (unsigned long long)pref.end);
        return GPA_NONE;
    }
    return load_alloc(l, li->init_size, li->alignment, (struct range){ li->pref_address, LOAD_4G }, GPA_LOWEST,
                      "the kernel");
}

/* The initrds, concatenated in order, as high as initrd_addr_max allows (where GRUB puts them). */
static bool load_initrd(struct guest_load *l, const struct linux_image *li, struct linux_boot *b)
{
    u64 total = 0;
    for (u32 i = 0; i < l->extra_count; i++)
        total += l->extra[i]->range.end - l->extra[i]->range.start;
    if (!total)
        return true;
    u64 limit = MIN((u64)li->initrd_addr_max + 1, LOAD_4G);
    u64 at = load_alloc(l, total, PAGE_SIZE, (struct range){ MiB, limit }, GPA_HIGHEST, "the initrd");
    u8 *dst = at == GPA_NONE ? NULL : load_place(l, at, total, "the initrd");
    if (!dst)
        return false;
    for (u32 i = 0; i < l->extra_count; i++) {
        u64 size = l->extra[i]->range.end - l->extra[i]->range.start;
        memcpy(dst, (const void *)l->extra[i]->range.start, size);
        dst += size;
    }
    b->initrd = at;
    b->initrd_size = total;
    return true;
}

/* The ACPI RSDP's guest-physical address: where the firmware has it, or a copy of the multiboot2 tag's (UEFI
 * boots have no BIOS area for the kernel to scan). 0 when there is none. */
static u64 guest_rsdp(struct guest_load *l)
{
    const struct acpi_info *a = acpi_tables();
    if (a && a->rsdp_addr)
        return a->rsdp_addr;
    const struct boot_info *bi = l->vm->bi;
    if (!bi->has_rsdp_v2 && !bi->has_rsdp_v1)
        return 0;
    u64 at = load_alloc(l, PAGE_SIZE, PAGE_SIZE, LOAD_LOW_MEMORY, GPA_HIGHEST, "a copy of the ACPI RSDP");
    u8 *dst = at == GPA_NONE ? NULL : load_place(l, at, PAGE_SIZE, "the RSDP copy");
    if (!dst)
        return 0;
    if (bi->has_rsdp_v2)
        memcpy(dst, bi->rsdp_v2, sizeof bi->rsdp_v2);
    else
        memcpy(dst, bi->rsdp_v1, sizeof bi->rsdp_v1);
    return at;
}

bool load_linux(struct guest_load *l, struct guest_start *start)
{
    const u8 *img = (const u8 *)l->image->range.start;
    u64 size = l->image->range.end - l->image->range.start;
    struct linux_image li;
    char err[160];

    if (!linux_image_parse(img, size, &li, err, sizeof err)) {
        pr_err("guest: %s: %s", l->spec.name, err);
        return false;
    }
    size_t cmdline_len = strlen(l->spec.args);
    if (cmdline_len > li.cmdline_size || cmdline_len >= CMDLINE_MAX) {
        pr_err("guest: %s: the command line has %zu bytes, the kernel takes %u", l->spec.name, cmdline_len,
               MIN(li.cmdline_size, (u32)CMDLINE_MAX - 1));
        return false;
    }
    u64 kernel = place_kernel(l, &li);
    u8 *kernel_dst = kernel == GPA_NONE ? NULL : load_place(l, kernel, li.init_size, "the kernel");
    if (!kernel_dst)
        return false;
    struct linux_boot b = { .e820 = l->map, .e820_count = l->map_count };
    if (!load_initrd(l, &li, &b))
        return false;
    b.rsdp = guest_rsdp(l);
    u64 block = load_alloc(l, BLOCK_SIZE, PAGE_SIZE, LOAD_LOW_MEMORY, GPA_LOWEST, "the zero page and command line");
    u8 *zp = block == GPA_NONE ? NULL : load_place(l, block, BLOCK_SIZE, "the zero page");
    if (!zp)
        return false;
    b.cmdline = block + BLOCK_CMDLINE;
    memcpy(zp + BLOCK_GDT, boot_gdt, sizeof boot_gdt);
    memcpy(zp + BLOCK_CMDLINE, l->spec.args, cmdline_len + 1);
    if (!linux_zero_page_build(zp, img, &li, &b)) {
        pr_err("guest: %s: the zero page cannot hold the guest's memory map (%u entries, at most %u)", l->spec.name,
               l->map_count, LINUX_E820_MAX);
        return false;
    }
    memcpy(kernel_dst, img + li.kernel_offset, li.kernel_size);

    /* The 32-bit boot protocol: flat 4 GiB segments from a GDT with __BOOT_CS and __BOOT_DS, paging off,
     * interrupts off, ESI the zero page, EBP, EDI and EBX zero. */
    *start = (struct guest_start){ .mode = GUEST_PROTECTED32, .rip = kernel, .gdt_base = block + BLOCK_GDT,
                                   .gdt_limit = sizeof boot_gdt - 1, .code_sel = BOOT_CS, .data_sel = BOOT_DS };
    start->gpr[RSI] = block;
    pr_info("guest: %s: Linux boot protocol %u.%02u, %llu KiB kernel at %llx, initrd %llu KiB, command line \"%s\"",
            l->spec.name, li.protocol >> 8, li.protocol & 0xFF, (unsigned long long)li.kernel_size / 1024,
            (unsigned long long)kernel, (unsigned long long)b.initrd_size / 1024, l->spec.args);
    return true;
}
