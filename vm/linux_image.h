/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux bzImages as guests: the setup header's checks, and the zero page (Linux's Documentation/arch/x86/boot.rst,
 * zero-page.rst). Pure. */
#ifndef VM_LINUX_IMAGE_H
#define VM_LINUX_IMAGE_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

#define LINUX_MIN_PROTOCOL  0x020A      /* 2.10 (Linux 2.6.31): pref_address and init_size are there */
#define LINUX_ZERO_PAGE     4096
#define LINUX_E820_MAX      128
#define LINUX_LOADER_TYPE   0xFF        /* "undefined": no ID is assigned to this loader */

/* What the loader needs from the setup header. */
struct linux_image {
    u16 protocol;                   /* 0x0206: e.g. 0x020F for 2.15 */
    u64 setup_size;                 /* the real-mode part: (setup_sects + 1) * 512 bytes, not loaded */
    u64 kernel_offset, kernel_size; /* the protected-mode kernel: where it is in the file, its length */
    bool relocatable;
    u32 alignment;                  /* kernel_alignment: where a relocatable kernel may go */
    u64 pref_address;               /* where it is linked to run */
    u32 init_size;                  /* bytes the kernel needs from its load address while it decompresses */
    u32 initrd_addr_max;            /* the highest address the initrd's last byte may have */
    u32 cmdline_size;               /* the longest command line, without its NUL */
    u16 xloadflags;
    u16 header_end;                 /* the setup header is [0x1F1, header_end) of the file */
};

/*
 * Checks a bzImage's setup header: the boot flag 0xAA55, "HdrS", protocol 2.10 or later, a bzImage (loaded
 * high), a protected-mode kernel that is in the file and fits its init_size, an alignment that is a power of
 * two. On failure writes a one-line reason to err.
 */
bool linux_image_parse(const u8 *image, u64 size, struct linux_image *out, char *err, size_t errlen);

/* Where the loader put things, in guest-physical addresses, for the zero page. */
struct linux_boot {
    u64 cmdline, initrd, initrd_size, rsdp;     /* 0 for none */
    const struct mem_entry *e820;               /* the guest's memory map */
    u32 e820_count;
};

/*
 * Writes the zero page into zp (LINUX_ZERO_PAGE bytes): zeroed, the image's setup header copied in, then the
 * loader's fields: type_of_loader, loadflags (loaded high, no heap: the 32-bit entry runs no real-mode code),
 * the command line, the initrd, the ACPI RSDP, the e820 map. False when the map has more than
 * LINUX_E820_MAX entries or an address does not fit its field.
 */
bool linux_zero_page_build(u8 *zp, const u8 *image, const struct linux_image *li, const struct linux_boot *b);

#endif
