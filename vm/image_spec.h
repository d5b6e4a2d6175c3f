/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest images from multiboot modules: what the module's command line says, and loading it into guest memory. */
#ifndef VM_IMAGE_SPEC_H
#define VM_IMAGE_SPEC_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/* A guest's image comes first (flat, multiboot, linux); the modules after it are its own (initrd, module). */
enum image_kind { IMAGE_FLAT, IMAGE_MULTIBOOT, IMAGE_LINUX, IMAGE_INITRD, IMAGE_MODULE };

/*
 * The module command line: KIND [OPTIONS] [-- GUEST ARGUMENTS].
 *   flat [load=ADDR] [start=SEG:OFF] [name=NAME]: a flat binary copied to guest-physical ADDR (default 0x7c00)
 *     and started in real mode at SEG:OFF (default 0000:7c00), like a boot sector.
 *   multiboot [name=NAME] [-- ARGS]: a multiboot1 kernel (ELF32, or the a.out kludge), started as a multiboot1
 *     loader starts it, with ARGS as its command line.
 *   linux [name=NAME] [-- ARGS]: a Linux bzImage, started through the 32-bit boot protocol with ARGS as the
 *     kernel's command line.
 *   initrd [name=NAME]: an initramfs for the linux image before it; several are concatenated in order.
 *   module [name=NAME] [-- ARGS]: a module for the multiboot image before it, with ARGS as its string.
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
/* The kind's name as the module command line spells it. */
const char *image_kind_name(enum image_kind kind);

bool image_spec_parse(const char *cmdline, struct image_spec *spec, char *err, size_t errlen);

#endif
