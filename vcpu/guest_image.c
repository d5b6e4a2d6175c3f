/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading a guest image from its module into guest memory, and its start state. */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vcpu/guest_image.h"
#include "vcpu/guest_load.h"
#include "vcpu/vm.h"

#define BOOT_DRIVE 0x80     /* DL for a boot sector: the first hard disk */

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
    if (!vm_guest_ram(vm, spec->load, size)) {
        pr_err("guest: %s: %llu bytes at 0x%llx do not fit in guest RAM (the hypervisor owns [%llx-%llx))",
               spec->name, (unsigned long long)size, (unsigned long long)spec->load,
               (unsigned long long)vm->hv.start, (unsigned long long)vm->hv.end);
        return false;
    }
    memmove((void *)spec->load, (const void *)m->range.start, size);   /* identity: guest-physical = host */
    *start = (struct guest_start){ .mode = GUEST_REAL, .cs = spec->cs, .rip = spec->ip, .rsp = 0x7C00 };
    start->gpr[RDX] = BOOT_DRIVE;
    pr_info("guest: %s: flat image, %llu bytes at 0x%llx, real mode at %04x:%04x", spec->name,
            (unsigned long long)size, (unsigned long long)spec->load, spec->cs, spec->ip);
    return true;
}
