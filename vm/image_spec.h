/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest images from multiboot modules: what the module's command line says, and loading it into guest memory. */
#ifndef VM_IMAGE_SPEC_H
#define VM_IMAGE_SPEC_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

enum image_kind { IMAGE_FLAT, IMAGE_MULTIBOOT };

/*
 * The module command line: KIND [OPTIONS] [-- GUEST ARGUMENTS].
 *   flat [load=ADDR] [start=SEG:OFF] [name=NAME]: a flat binary copied to guest-physical ADDR (default 0x7c00)
 *     and started in real mode at SEG:OFF (default 0000:7c00), like a boot sector.
 *   multiboot [name=NAME] [-- ARGS]: a multiboot1 kernel (ELF32, or the a.out kludge), started as a multiboot1
 *     loader starts it, with ARGS as its command line.
 * Numbers are hexadecimal, with or without 0x.
 */
struct image_spec {
    enum image_kind kind;
    u64 load;
    u16 cs, ip;
    char name[32];
    char args[200];     /* after "--": the guest's own command line */
};

/* Parses a module command line; on failure writes a one-line reason to err. */
bool image_spec_parse(const char *cmdline, struct image_spec *spec, char *err, size_t errlen);

#endif
