/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Moves the image from its load address to the top of usable RAM below 4 GiB (boot/relocate.h). This runs
 * before kmain, at the load address, with no console, no IDT and no per-CPU block: it may only compute and copy.
 * Anything it writes into the image must be a plain value, since the copy is made afterwards.
 */
#include "boot/relocate.h"
#include "kernel/acpi.h"
#include "kernel/smp.h"
#include "kernel/memlayout.h"
#include "kernel/relocation.h"

extern char __image_start[], __image_end[];
extern u64 boot_pml4[], boot_pdpt[];
extern const u32 relocs_count, relocs_table[];

struct early_boot early_boot;

/* Copies whole quadwords: the image starts and ends on a page (REP MOVSB would take 8 times the iterations, each
 * of which Bochs counts as an instruction). */
static void copy_image(u64 to, u64 from, u64 size)
{
    u64 n = size / 8;
    __asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) :: "memory");
}

/* The boot info lies in the identity-mapped low 4 GiB, or it is unreadable. */
static const void *identity_map(void *ctx, u64 addr, u64 len)
{
    (void)ctx;
    if (addr == 0 || addr + len < addr || addr + len > HV_IDMAP_LIMIT)
        return NULL;
    return (const void *)addr;
}

/* The CPUs the MADT lists as enabled, which smp_init will start: the block holds their memory. */
static u32 count_cpus(const struct boot_info *bi)
{
    static struct acpi_info scratch;    /* large; acpi_init reads the tables again after the move, and reports */
    struct acpi_rsdp r;
    char err[80];
    if (!acpi_find_rsdp(bi, &r) || !acpi_parse(r.rsdp, r.len, identity_map, NULL, &scratch, err, sizeof err) ||
        !scratch.has_madt)
        return 1;
    return MIN(MAX(scratch.cpus_enabled, 1u), (u32)HV_MAX_CPUS);
}

static u64 pick_block(struct early_boot *e, struct range image)
{
    struct range avoid[1 + BOOT_MAX_MODULES];
    u32 n = 0;

    avoid[n++] = image;                         /* the copy must not overwrite what runs the copy */
    for (u32 i = 0; i < e->info.module_count; i++)
        avoid[n++] = e->info.modules[i].range;  /* the guest's images, still to be loaded */
    return reloc_pick_top(e->info.mmap, e->info.mmap_count, avoid, n, e->block_size, HV_BLOCK_ALIGN,
                          HV_LOW_RESERVED, HV_IDMAP_LIMIT);
}

u64 boot_relocate(u32 magic, u32 info_addr)
{
    struct early_boot *e = &early_boot;
    struct range image = { (u64)__image_start, (u64)__image_end };
    u64 size = image.end - image.start;

    e->loaded_at = e->runs_at = image.start;
    e->cpus = 1;
    e->block_size = reloc_block_size(size, 1, HV_BLOCK_BASE, HV_BLOCK_PER_CPU, HV_BLOCK_ALIGN);
    e->parsed = boot_info_parse(magic, info_addr, identity_map, NULL, image, &e->info, e->err, sizeof e->err);
    if (!e->parsed) {
        e->stay = RELOC_STAY_NO_INFO;
        return 0;
    }
    e->cpus = count_cpus(&e->info);
    e->block_size = reloc_block_size(size, e->cpus, HV_BLOCK_BASE, HV_BLOCK_PER_CPU, HV_BLOCK_ALIGN);
    u64 to = pick_block(e, image);
    if (to <= image.start) {
        e->stay = to ? RELOC_STAY_HIGHEST : RELOC_STAY_NO_ROOM;
        return 0;
    }
    u64 delta = to - image.start;
    e->runs_at = to;
    e->stay = RELOC_MOVED;
    copy_image(to, image.start, size);
    if (!reloc_apply((u8 *)to, size, relocs_table, relocs_count, delta)) {
        e->runs_at = image.start;
        e->stay = RELOC_STAY_BAD_FIXUP;
        return 0;
    }
    /* The copy's boot page tables (filled in at run time, so not in the table) still point at the original's. */
    u64 *pml4 = (u64 *)((u64)boot_pml4 + delta), *pdpt = (u64 *)((u64)boot_pdpt + delta);
    pml4[0] += delta;
    for (int i = 0; i < 4; i++)
        pdpt[i] += delta;
    return delta;
}
