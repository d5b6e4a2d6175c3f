/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel side of guest images: load the boot modules into a VM as the guest's image and its modules. */
#ifndef VM_GUEST_IMAGE_H
#define VM_GUEST_IMAGE_H

#include "vm/image_spec.h"
#include "vcpu/vmx/vmcs_setup.h"

struct vm;

/*
 * The first module is the guest's image, the ones after it its initrds (linux) or modules (multiboot), as their
 * command lines say. Copies them into guest memory, builds the boot data and fills the start state; spec gets
 * the image's. False after one `guest:` error line.
 */
bool guest_image_load(struct vm *vm, const struct boot_module *mods, u32 count, struct guest_start *start,
                      struct image_spec *spec);

#endif
