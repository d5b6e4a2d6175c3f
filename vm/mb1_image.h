/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot1 kernels as guests: the image format (ELF32 or a.out kludge), the guest's memory map, the info block. */
#ifndef VM_MB1_IMAGE_H
#define VM_MB1_IMAGE_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

#define MB1_MAX_SEGMENTS 8

struct mb1_segment {
    u64 file_offset, file_size;     /* bytes copied from the image */
    u64 addr, mem_size;             /* guest-physical; mem_size - file_size bytes are zeroed */
};

struct mb1_image {
    u32 entry;
    u32 count;
    struct mb1_segment seg[MB1_MAX_SEGMENTS];
};

/*
 * Finds the multiboot1 header (the first 8192 bytes, 4-byte aligned, checksum) and the loadable parts: the
 * header's a.out-kludge addresses when flag 16 is set, else the ELF32 program headers (PT_LOAD, physical
 * addresses). Unknown formats, truncated files and inconsistent headers fail with a one-line reason.
 */
bool mb1_image_parse(const u8 *image, u64 size, struct mb1_image *out, char *err, size_t errlen);

/*
 * The memory map a guest sees: the machine's, with `hv` (the hypervisor's block) cut out of any entry it
 * overlaps and listed as reserved. Returns the number of entries written to out, 0 if max is too small.
 */
u32 guest_mmap(const struct mem_entry *in, u32 n, struct range hv, struct mem_entry *out, u32 max);

/* A module as the guest's multiboot1 kernel receives it: where it is in guest memory, and its string. */
struct mb1_guest_module {
    u32 start, end;
    const char *cmdline;
};

/*
 * Writes a multiboot1 information block (flags: memory, command line, modules, memory map, boot loader name)
 * for the guest into buf, which the guest will see at guest-physical `gpa`. Returns the bytes used, 0 if it
 * does not fit.
 */
u32 mb1_info_build(u8 *buf, u32 size, u32 gpa, const struct mem_entry *mmap, u32 n, const char *cmdline,
                   const char *loader, const struct mb1_guest_module *mods, u32 mod_count);

#endif
