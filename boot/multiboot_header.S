/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot2 header for GRUB, and a multiboot1 header beside it (a.out kludge) for iPXE and GRUB's
 * `multiboot` command. Both must sit early in the file: within 32 KiB (MB2) and 8 KiB (MB1). */
#include "kernel/multiboot_abi.h"

    .section .multiboot, "a"

    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* Information request: we need the memory map; the rest is optional. */
    .balign 8
mb2_info_request:
    .short MB2_HEADER_TAG_INFO_REQUEST, 0
    .long mb2_info_request_end - mb2_info_request
    .long MB2_TAG_MMAP
mb2_info_request_end:
    .balign 8
    .short MB2_HEADER_TAG_END, 0
    .long 8
mb2_header_end:

    .balign 4
mb1_header:
    .long MB1_HEADER_MAGIC
    .long MB1_FLAGS
    .long -(MB1_HEADER_MAGIC + MB1_FLAGS)
    /* a.out kludge: the file, from this header's offset back to __image_start, loads at __image_start. */
    .long mb1_header
    .long __image_start
    .long __load_end
    .long __bss_end
    .long _start32
