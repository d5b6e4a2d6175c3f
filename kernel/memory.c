/* SPDX-License-Identifier: BSD-2-Clause */
/* Glue between the boot memory map, the hypervisor's block (its image and the pages after it) and the page
 * allocator, which hands out pages from the block only (kernel/memlayout.h). */
#include "kernel/memory.h"
#include "kernel/memlayout.h"
#include "kernel/pmm.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

extern char __image_start[], __text_end[], __image_end[];

static struct pmm pmm;
static u64 block_size;
static struct spinlock pmm_lock = SPINLOCK_INIT;

struct range hv_image_range(void)
{
    return (struct range){ (u64)__image_start, (u64)__image_end };
}

struct range hv_block_range(void)
{
    return (struct range){ (u64)__image_start, (u64)__image_start + block_size };
}

void memory_print_map(const struct boot_info *bi)
{
    for (u32 i = 0; i < bi->mmap_count; i++) {
        const struct mem_entry *e = &bi->mmap[i];
        pr_info("mem: [%016llx-%016llx] %s", (unsigned long long)e->base,
                (unsigned long long)(e->base + e->length - 1), mem_type_name(e->type));
    }
}

bool memory_init(const struct boot_info *bi, u64 block)
{
    struct range exclude[1 + BOOT_MAX_MODULES];
    u32 n = 0;

    exclude[n++] = hv_image_range();
    for (u32 i = 0; i < bi->module_count; i++)
        exclude[n++] = bi->modules[i].range;
    if (!pmm_init(&pmm, bi->mmap, bi->mmap_count, exclude, n, HV_IDMAP_LIMIT, ALIGN_UP(exclude[0].end, PAGE_SIZE))) {
        pr_err("mem: the memory map is too fragmented for the page allocator (%d ranges)", PMM_MAX_RANGES);
        return false;
    }
    block_size = block;
    struct range b = hv_block_range();
    pmm_restrict(&pmm, b.start, b.end);             /* everything the hypervisor allocates stays in its block */
    if (pmm.free_pages == 0) {
        pr_err("mem: no usable memory in the hypervisor's block [%llx-%llx)", (unsigned long long)b.start,
               (unsigned long long)b.end);
        return false;
    }
    pr_info("mem: hypervisor image [%016llx-%016llx], %llu KiB free for allocation",
            (unsigned long long)exclude[0].start, (unsigned long long)exclude[0].end - 1,
            (unsigned long long)pmm.free_pages * 4);
    return true;
}

u64 page_alloc(u64 pages)
{
    spin_lock(&pmm_lock);
    u64 a = pmm_alloc(&pmm, pages);
    spin_unlock(&pmm_lock);
    if (a)
        memset((void *)a, 0, pages * PAGE_SIZE);
    return a;
}

void page_free(u64 addr, u64 pages)
{
    spin_lock(&pmm_lock);
    pmm_free(&pmm, addr, pages);
    spin_unlock(&pmm_lock);
}

struct range memory_seal(void)
{
    struct range r = hv_block_range();
    spin_lock(&pmm_lock);
    u64 used = ALIGN_UP(MAX(pmm.high_water, (u64)__image_end), PAGE_SIZE) - r.start;
    spin_unlock(&pmm_lock);
    pr_info("mem: hypervisor memory sealed at [%016llx-%016llx], %llu KiB of it free",
            (unsigned long long)r.start, (unsigned long long)r.end - 1, (unsigned long long)memory_free_kib());
    pr_info("mem: hypervisor resident: %llu KiB of its %llu KiB block in use so far (image %llu KiB)",
            (unsigned long long)used / 1024, (unsigned long long)(r.end - r.start) / 1024,
            (unsigned long long)(ALIGN_UP((u64)__image_end, PAGE_SIZE) - r.start) / 1024);
    return r;
}

u64 memory_guest_kib(const struct boot_info *bi, struct range hv)
{
    u64 kib = 0;
    for (u32 i = 0; i < bi->mmap_count; i++) {
        const struct mem_entry *e = &bi->mmap[i];
        if (e->type != MEM_USABLE)
            continue;
        struct range r = { e->base, e->base + e->length };
        kib += (r.end - r.start) / 1024;
        if (ranges_overlap(r, hv))
            kib -= (MIN(r.end, hv.end) - MAX(r.start, hv.start)) / 1024;
    }
    return kib;
}

u64 memory_free_kib(void)
{
    spin_lock(&pmm_lock);
    u64 pages = pmm.free_pages;
    spin_unlock(&pmm_lock);
    return pages * 4;
}

/* FNV-1a over the 8-byte words of [__image_start, __text_end): code and the multiboot headers. */
u64 memory_text_checksum(void)
{
    u64 h = 0xcbf29ce484222325ULL;
    for (const u64 *p = (const u64 *)__image_start; p < (const u64 *)__text_end; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}
