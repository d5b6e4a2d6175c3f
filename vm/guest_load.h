/* SPDX-License-Identifier: BSD-2-Clause */
/* What the guest loaders share: the guest's image and its own modules, its memory map and its free RAM. */
#ifndef VM_GUEST_LOAD_H
#define VM_GUEST_LOAD_H

#include "vcpu/vmx/vmcs_setup.h"
#include "vm/gpa_space.h"
#include "vm/image_spec.h"

struct vm;

/* Windows of guest-physical memory the loaders place boot data in. */
#define LOAD_LOW_MEMORY ((struct range){ 0x1000, 0xA0000 })    /* above the real-mode IVT and BDA page */
#define LOAD_4G         (1ULL << 32)                            /* 32-bit boot protocols: below this */

struct guest_load {
    struct vm *vm;
    const struct boot_module *image;                /* the guest's image: the first module */
    struct image_spec spec;
    u32 extra_count;                                /* the modules after it: its initrds or its modules */
    const struct boot_module *extra[BOOT_MAX_MODULES];
    struct image_spec extra_spec[BOOT_MAX_MODULES];
    struct mem_entry map[BOOT_MAX_MMAP + 2];        /* the guest's memory map (the hypervisor's block reserved) */
    u32 map_count;
    struct gpa_space space;                         /* guest RAM not yet spoken for (every module is) */
};

/* A host pointer to [gpa, gpa + size) of guest RAM for `what`, or NULL after saying why not. */
void *load_place(struct guest_load *l, u64 gpa, u64 size, const char *what);

/*
 * Takes `size` bytes of free guest RAM inside `within` (lowest or highest fit, `align`-aligned) for `what`
 * and says where in one log line; GPA_NONE after saying that nothing fits.
 */
u64 load_alloc(struct guest_load *l, u64 size, u64 align, struct range within, enum gpa_pick pick, const char *what);

/* The loaders: each fills *start and returns true, or says why not in one `guest:` error line. */
bool load_multiboot(struct guest_load *l, struct guest_start *start);
bool load_linux(struct guest_load *l, struct guest_start *start);

#endif
