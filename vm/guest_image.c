/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading the guest: which module is what, the guest's free RAM, and the flat loader; the others dispatched. */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vm/guest_image.h"
#include "vm/guest_load.h"
#include "vm/mb1_image.h"
#include "vm/vm.h"

#define BOOT_DRIVE 0x80     /* DL for a boot sector: the first hard disk */

static struct guest_load load;     /* large (two memory maps): not on the stack */

void *load_place(struct guest_load *l, u64 gpa, u64 size, const char *what)
{
    enum gpa_refusal why;
    void *p = guest_ptr(l->vm, gpa, size, &why);
    if (!p)
        pr_err("guest: %s: %s [%llx-%llx) is not guest RAM: %s (the hypervisor owns [%llx-%llx))", l->spec.name,
               what, (unsigned long long)gpa, (unsigned long long)(gpa + size), gpa_refusal_name(why),
               (unsigned long long)l->vm->hv.start, (unsigned long long)l->vm->hv.end);
    return p;
}

u64 load_alloc(struct guest_load *l, u64 size, u64 align, struct range within, enum gpa_pick pick, const char *what)
{
    u64 at = gpa_alloc(&l->space, size, align, within, pick);
    if (at == GPA_NONE)
        pr_err("guest: %s: no room for %s (%llu KiB, aligned to 0x%llx) in free guest RAM [%llx-%llx)", l->spec.name,
               what, (unsigned long long)(size + 1023) / 1024, (unsigned long long)align,
               (unsigned long long)within.start, (unsigned long long)within.end);
    else
        pr_info("guest: %s: %s at [%llx-%llx)", l->spec.name, what, (unsigned long long)at,
                (unsigned long long)(at + size));
    return at;
}

/* A flat binary, started in real mode like a boot sector. */
static bool load_flat(struct guest_load *l, struct guest_start *start)
{
    u64 size = l->image->range.end - l->image->range.start;
    void *dst = load_place(l, l->spec.load, size, "the flat image");
    if (!dst)
        return false;
    memmove(dst, (const void *)l->image->range.start, size);     /* the module: host memory where the loader put it */
    *start = (struct guest_start){ .mode = GUEST_REAL, .cs = l->spec.cs, .rip = l->spec.ip, .rsp = 0x7C00 };
    start->gpr[RDX] = BOOT_DRIVE;
    pr_info("guest: %s: flat image, %llu bytes at 0x%llx, real mode at %04x:%04x", l->spec.name,
            (unsigned long long)size, (unsigned long long)l->spec.load, l->spec.cs, l->spec.ip);
    return true;
}

/* The module kinds that may follow each image kind. */
static bool belongs_to(enum image_kind image, enum image_kind extra)
{
    return (image == IMAGE_LINUX && extra == IMAGE_INITRD) || (image == IMAGE_MULTIBOOT && extra == IMAGE_MODULE);
}

/* Reads every module's command line and checks that the ones after the image are its own. */
static bool sort_modules(struct guest_load *l, const struct boot_module *mods, u32 count)
{
    char err[160];
    for (u32 i = 0; i < count; i++) {
        struct image_spec *s = i ? &l->extra_spec[i - 1] : &l->spec;
        if (!image_spec_parse(mods[i].cmdline, s, err, sizeof err)) {
            pr_err("guest: module \"%s\": %s", mods[i].cmdline, err);
            return false;
        }
        if (mods[i].range.end == mods[i].range.start) {
            pr_err("guest: module %u (%s): the file is empty", i + 1, image_kind_name(s->kind));
            return false;
        }
    }
    if (l->spec.kind == IMAGE_INITRD || l->spec.kind == IMAGE_MODULE) {
        pr_err("guest: the first module is %s \"%s\": a guest image (flat, multiboot or linux) must come first",
               l->spec.kind == IMAGE_INITRD ? "an initrd" : "a module", mods[0].cmdline);
        return false;
    }
    l->image = &mods[0];
    l->extra_count = count - 1;
    for (u32 i = 1; i < count; i++) {
        enum image_kind k = l->extra_spec[i - 1].kind;
        if (!belongs_to(l->spec.kind, k)) {
            pr_err("guest: module %u is %s \"%s\", which a %s guest does not take (%s)", i + 1, image_kind_name(k),
                   mods[i].cmdline, image_kind_name(l->spec.kind),
                   l->spec.kind == IMAGE_LINUX ? "after a linux image: initrd" :
                   l->spec.kind == IMAGE_MULTIBOOT ? "after a multiboot image: module" :
                   "a flat image takes no modules; one guest runs at a time");
            return false;
        }
        l->extra[i - 1] = &mods[i];
    }
    return true;
}

bool guest_image_load(struct vm *vm, const struct boot_module *mods, u32 count, struct guest_start *start,
                      struct image_spec *spec)
{
    struct guest_load *l = &load;
    memset(l, 0, sizeof *l);
    l->vm = vm;
    if (!sort_modules(l, mods, count))
        return false;
    *spec = l->spec;
    l->map_count = guest_mmap(vm->bi->mmap, vm->bi->mmap_count, vm->hv, l->map, ARRAY_SIZE(l->map));
    if (!l->map_count) {
        pr_err("guest: %s: the guest's memory map has more than %zu entries", l->spec.name, ARRAY_SIZE(l->map));
        return false;
    }
    /* Free RAM for boot data: the guest's usable RAM, less every module (each is read from where it is). */
    gpa_space_init(&l->space, l->map, l->map_count);
    for (u32 i = 0; i < count; i++)
        if (!gpa_reserve(&l->space, mods[i].range)) {
            pr_err("guest: %s: the guest's memory map is in too many pieces (more than %u)", l->spec.name,
                   GPA_SPACE_MAX);
            return false;
        }
    switch (l->spec.kind) {
    case IMAGE_MULTIBOOT: return load_multiboot(l, start);
    case IMAGE_LINUX: return load_linux(l, start);
    default: return load_flat(l, start);
    }
}
