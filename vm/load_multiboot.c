/* SPDX-License-Identifier: BSD-2-Clause */
/* A multiboot1 kernel and its modules, started as a multiboot1 loader would (Multiboot Specification 3.2). */
#include "kernel/format.h"
#include "kernel/memory.h"
#include "kernel/multiboot_abi.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vm/guest_load.h"
#include "vm/mb1_image.h"
#include "vm/vm.h"

#define INFO_SIZE   0x3000                  /* the information block: room for a full map and 16 modules */

/* Copies the kernel's modules to free guest RAM above the kernel, as GRUB places them; fills mods. */
static bool load_modules(struct guest_load *l, u64 kernel_end, struct mb1_guest_module *mods)
{
    for (u32 i = 0; i < l->extra_count; i++) {
        const struct boot_module *m = l->extra[i];
        u64 size = m->range.end - m->range.start;
        char what[48];
        ksnprintf(what, sizeof what, "module %u (%s)", i + 1, l->extra_spec[i].name);
        u64 at = gpa_alloc(&l->space, size, PAGE_SIZE, (struct range){ ALIGN_UP(kernel_end, PAGE_SIZE), LOAD_4G }, GPA_LOWEST);
        if (at == GPA_NONE && (at = load_alloc(l, size, PAGE_SIZE, (struct range){ MiB, LOAD_4G }, GPA_LOWEST, what)) == GPA_NONE)
            return false;
        void *dst = load_place(l, at, size, what);
        if (!dst)
            return false;
        memcpy(dst, (const void *)m->range.start, size);
        mods[i] = (struct mb1_guest_module){ (u32)at, (u32)(at + size), l->extra_spec[i].args };
        pr_info("guest: %s: %s, %llu bytes at [%llx-%llx), string \"%s\"", l->spec.name, what,
                (unsigned long long)size, (unsigned long long)at, (unsigned long long)(at + size),
                l->extra_spec[i].args);
    }
    return true;
}

bool load_multiboot(struct guest_load *l, struct guest_start *start)
{
    struct mb1_image img;
    struct mb1_guest_module mods[BOOT_MAX_MODULES];
    char err[160];
    const struct boot_module *m = l->image;
    const u8 *src = (const u8 *)m->range.start;
    u64 size = m->range.end - m->range.start, bounce = 0, bounce_pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

    if (!mb1_image_parse(src, size, &img, err, sizeof err)) {
        pr_err("guest: %s: %s", l->spec.name, err);
        return false;
    }
    bool overlaps_module = false;
    u64 kernel_end = 0;
    u8 *dst_of[MB1_MAX_SEGMENTS];
    for (u32 i = 0; i < img.count; i++) {
        const struct mb1_segment *s = &img.seg[i];
        struct range dst = { s->addr, s->addr + s->mem_size };
        if (!(dst_of[i] = load_place(l, s->addr, s->mem_size, "a segment")))
            return false;
        if (!gpa_reserve(&l->space, dst)) {     /* boot data and modules go elsewhere */
            pr_err("guest: %s: the guest's memory map is in too many pieces (more than %u)", l->spec.name,
                   GPA_SPACE_MAX);
            return false;
        }
        overlaps_module |= ranges_overlap(dst, m->range);
        kernel_end = MAX(kernel_end, dst.end);
    }
    /* The modules first: a segment may be loaded over where the hypervisor's loader put one. */
    if (!load_modules(l, kernel_end, mods))
        return false;
    u64 info_gpa = load_alloc(l, INFO_SIZE, PAGE_SIZE, LOAD_LOW_MEMORY, GPA_LOWEST, "the multiboot1 information block");
    u8 *info_block = info_gpa == GPA_NONE ? NULL : load_place(l, info_gpa, INFO_SIZE, "the information block");
    if (!info_block)
        return false;
    /* Loaders put modules where they like, often where the kernel wants to go: copy it aside first. */
    if (overlaps_module) {
        bounce = page_alloc(bounce_pages);
        if (!bounce) {
            pr_err("guest: %s: the image (%llu KiB) overlaps its load address and there is no room to move it",
                   l->spec.name, (unsigned long long)size / 1024);
            return false;
        }
        memcpy((void *)bounce, src, size);
        src = (const u8 *)bounce;
    }
    for (u32 i = 0; i < img.count; i++) {
        const struct mb1_segment *s = &img.seg[i];
        memmove(dst_of[i], src + s->file_offset, s->file_size);
        memset(dst_of[i] + s->file_size, 0, s->mem_size - s->file_size);
    }
    if (bounce)
        page_free(bounce, bounce_pages);
    if (!mb1_info_build(info_block, INFO_SIZE, (u32)info_gpa, l->map, l->map_count, l->spec.args,
                        "hypervisor " HV_VERSION, mods, l->extra_count)) {
        pr_err("guest: %s: the multiboot1 information block does not fit in %u bytes", l->spec.name, INFO_SIZE);
        return false;
    }
    *start = (struct guest_start){ .mode = GUEST_PROTECTED32, .rip = img.entry };
    start->gpr[RAX] = MB1_BOOTLOADER_MAGIC;
    start->gpr[RBX] = info_gpa;
    pr_info("guest: %s: multiboot1 kernel, %u segment(s), entry %x, %u module(s), command line \"%s\"", l->spec.name,
            img.count, img.entry, l->extra_count, l->spec.args);
    return true;
}
