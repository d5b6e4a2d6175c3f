/* SPDX-License-Identifier: BSD-2-Clause */
/* Private to the boot information parser (multiboot.c, multiboot1.c, multiboot2.c): shared state and helpers. */
#ifndef KERNEL_MULTIBOOT_PARSER_H
#define KERNEL_MULTIBOOT_PARSER_H

#include "kernel/format.h"
#include "kernel/multiboot.h"

struct parser {
    phys_map_fn map;
    void *ctx;
    struct boot_info *out;
    char *err;
    size_t errlen;
};

/* Writes the reason and evaluates to false: `return FAIL(p, "...", ...);` */
#define FAIL(p, ...) (ksnprintf((p)->err, (p)->errlen, __VA_ARGS__), false)

bool mb_parse_v1(struct parser *p, u64 addr);
bool mb_parse_v2(struct parser *p, u64 addr);

/* Copies a NUL-terminated string of at most dstlen bytes (terminator included) that lies within `avail`. */
bool mb_copy_bounded(char *dst, size_t dstlen, const char *src, size_t avail);
/* Copies a string at a physical address (multiboot1 pointers), one byte mapping at a time. */
bool mb_copy_phys_string(struct parser *p, char *dst, size_t dstlen, u32 addr, const char *what);
/* Drops a first word that is an image path or URL (iPXE and GRUB Legacy put it on multiboot1 lines). */
void mb_drop_image_name(char *s);
/* Appends a memory map entry (zero-length ones are dropped); _merged extends a continuing entry instead. */
bool mb_add_mem(struct parser *p, u64 base, u64 length, u32 type);
bool mb_add_mem_merged(struct parser *p, u64 base, u64 length, u32 type);
bool mb_add_module(struct parser *p, u32 start, u32 end, const char *line, size_t avail);

#endif
