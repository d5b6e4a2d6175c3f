/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel side of guest images: load one module into a VM. */
#ifndef VM_GUEST_IMAGE_H
#define VM_GUEST_IMAGE_H

#include "vm/image_spec.h"
#include "vcpu/vmx/vmcs_setup.h"

struct vm;

/* Copies the module into guest memory as its command line says and fills the start state. */
bool guest_image_load(struct vm *vm, const struct boot_module *m, struct guest_start *start, struct image_spec *spec);

#endif
