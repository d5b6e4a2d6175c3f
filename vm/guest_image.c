/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading a guest image from its module into guest memory, and its start state. */
#include "kernel/memory.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vm/image_spec.h"
#include "kernel/multiboot_abi.h"
#include "vm/guest_image.h"
#include "vm/mb1_image.h"
#include "vm/vm.h"

#define BOOT_DRIVE 0x80     /* DL for a boot sector: the first hard disk */
#define MB1_INFO_GPA  0x9000    /* the multiboot1 information block: a page of low memory below the EBDA */
#define MB1_INFO_SIZE 0x1000

/* Where `what` goes in guest memory, or NULL after saying why it cannot go there. */
static void *place(struct vm *vm, const struct image_spec *spec, u64 addr, u64 size, const char *what)
{
    enum gpa_refusal why;
    void *p = guest_ptr(vm, addr, size, &why);
    if (!p)
        pr_err("guest: %s: %s [%llx-%llx) is not guest RAM: %s (the hypervisor owns [%llx-%llx))", spec->name,
               what, (unsigned long long)addr, (unsigned long long)(addr + size), gpa_refusal_name(why),
               (unsigned long long)vm->hv.start, (unsigned long long)vm->hv.end);
    return p;
}

/* A multiboot1 kernel, started as a multiboot1 loader would (Multiboot Specification 3.2, machine state). */
static bool load_multiboot(struct vm *vm, const struct boot_module *m, struct guest_start *start,
                           const struct image_spec *spec)
{
    struct mb1_image img;
    struct mem_entry map[BOOT_MAX_MMAP + 2];
    char err[160];
    const u8 *src = (const u8 *)m->range.start;
    u64 size = m->range.end - m->range.start, bounce = 0, bounce_pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

    if (!mb1_image_parse(src, size, &img, err, sizeof err)) {
        pr_err("guest: %s: %s", spec->name, err);
        return false;
    }
    struct range info = { MB1_INFO_GPA, MB1_INFO_GPA + MB1_INFO_SIZE };
    bool overlaps_module = ranges_overlap(info, m->range);
    u8 *dst_of[MB1_MAX_SEGMENTS];
    for (u32 i = 0; i < img.count; i++) {
        const struct mb1_segment *s = &img.seg[i];
        struct range dst = { s->addr, s->addr + s->mem_size };
        if (!(dst_of[i] = place(vm, spec, s->addr, s->mem_size, "a segment")))
            return false;
        if (ranges_overlap(dst, info)) {
            pr_err("guest: %s: segment [%llx-%llx) overlaps the information block at %x", spec->name,
                   (unsigned long long)dst.start, (unsigned long long)dst.end, MB1_INFO_GPA);
            return false;
        }
        overlaps_module |= ranges_overlap(dst, m->range);
    }
    u8 *info_block = place(vm, spec, info.start, MB1_INFO_SIZE, "the information block");
    if (!info_block)
        return false;
    /* Loaders put modules where they like, often where the kernel wants to go: copy it aside first. */
    if (overlaps_module) {
        bounce = page_alloc(bounce_pages);
        if (!bounce) {
            pr_err("guest: %s: the image (%llu KiB) overlaps its load address and there is no room to move it",
                   spec->name, (unsigned long long)size / 1024);
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
    u32 n = guest_mmap(vm->bi->mmap, vm->bi->mmap_count, vm->hv, map, ARRAY_SIZE(map));
    if (!n || !mb1_info_build(info_block, MB1_INFO_SIZE, MB1_INFO_GPA, map, n, spec->args,
                              "hypervisor " HV_VERSION)) {
        pr_err("guest: %s: the multiboot1 information block does not fit in %u bytes", spec->name, MB1_INFO_SIZE);
        return false;
    }
    *start = (struct guest_start){ .mode = GUEST_PROTECTED32, .rip = img.entry };
    start->gpr[RAX] = MB1_BOOTLOADER_MAGIC;
    start->gpr[RBX] = MB1_INFO_GPA;
    pr_info("guest: %s: multiboot1 kernel, %u segment(s), entry %x, command line \"%s\"", spec->name, img.count,
            img.entry, spec->args);
    return true;
}

bool guest_image_load(struct vm *vm, const struct boot_module *m, struct guest_start *start, struct image_spec *spec)
{
    char err[160];
    u64 size = m->range.end - m->range.start;

    if (!image_spec_parse(m->cmdline, spec, err, sizeof err)) {
        pr_err("guest: module \"%s\": %s", m->cmdline, err);
        return false;
    }
    if (size == 0) {
        pr_err("guest: %s: the image is empty", spec->name);
        return false;
    }
    if (spec->kind == IMAGE_MULTIBOOT)
        return load_multiboot(vm, m, start, spec);
    void *dst = place(vm, spec, spec->load, size, "the flat image");
    if (!dst)
        return false;
    memmove(dst, (const void *)m->range.start, size);     /* the module: host memory where the loader put it */
    *start = (struct guest_start){ .mode = GUEST_REAL, .cs = spec->cs, .rip = spec->ip, .rsp = 0x7C00 };
    start->gpr[RDX] = BOOT_DRIVE;
    pr_info("guest: %s: flat image, %llu bytes at 0x%llx, real mode at %04x:%04x", spec->name,
            (unsigned long long)size, (unsigned long long)spec->load, spec->cs, spec->ip);
    return true;
}
