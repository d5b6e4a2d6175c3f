/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the multiboot1/2 info parser: the input is physical memory, the info block inside it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "kernel/multiboot.h"
#include "kernel/multiboot_abi.h"

#define BASE 0x10000                    /* where the input sits in "physical memory" */
static const struct range HV = { 0x4000000, 0x4200000 };

struct window {
    const u8 *mem;
    size_t size;
};

/* Only the input's bytes are readable: ASan catches any read past what the parser asked for. */
static const void *map(void *ctx, u64 addr, u64 len)
{
    const struct window *w = ctx;
    if (addr < BASE || addr + len < addr || addr + len > BASE + w->size)
        return NULL;
    return w->mem + (addr - BASE);
}

static bool terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

/* Byte 0: protocol (bit 0) and the info block's offset (bits 3-5, 8-aligned); the rest is memory. */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    if (size < 1)
        return 0;
    u32 magic = data[0] & 1 ? MB1_BOOTLOADER_MAGIC : MB2_BOOTLOADER_MAGIC;
    u64 info = BASE + (data[0] & 0x38);
    struct window w = { malloc(size - 1 ? size - 1 : 1), size - 1 };
    memcpy((u8 *)w.mem, data + 1, size - 1);
    static struct boot_info bi;
    char err[160];
    memset(err, 'x', sizeof err);

    if (boot_info_parse(magic, info, map, &w, HV, &bi, err, sizeof err)) {
        INVARIANT(bi.protocol == (magic == MB1_BOOTLOADER_MAGIC ? BOOT_MULTIBOOT1 : BOOT_MULTIBOOT2));
        INVARIANT(bi.mmap_count <= BOOT_MAX_MMAP && bi.module_count <= BOOT_MAX_MODULES);
        INVARIANT(terminated(bi.cmdline, sizeof bi.cmdline) && terminated(bi.loader, sizeof bi.loader));
        for (u32 i = 0; i < bi.mmap_count; i++)
            INVARIANT(bi.mmap[i].length > 0 && bi.mmap[i].base + bi.mmap[i].length > bi.mmap[i].base);
        for (u32 i = 0; i < bi.module_count; i++) {
            const struct boot_module *m = &bi.modules[i];
            INVARIANT(m->range.start <= m->range.end && !ranges_overlap(m->range, HV));
            INVARIANT(terminated(m->cmdline, sizeof m->cmdline));
        }
    } else {
        INVARIANT(terminated(err, sizeof err) && err[0] != '\0');   /* a failure always says why */
    }
    free((void *)w.mem);
    return 0;
}
