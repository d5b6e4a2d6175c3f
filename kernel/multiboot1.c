/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot1 information (Multiboot spec 0.6.96, 3.3): flags, memory map, command lines, modules. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/multiboot_abi.h"
#include "kernel/multiboot_parser.h"

bool mb_parse_v1(struct parser *p, u64 addr)
{
    struct boot_info *b = p->out;
    const struct mb1_info *mi = p->map(p->ctx, addr, sizeof *mi);
    if (!mi)
        return FAIL(p, "multiboot1 info at 0x%llx is outside readable memory", (unsigned long long)addr);

    if ((mi->flags & MB1_INFO_CMDLINE) && !mb_copy_phys_string(p, b->cmdline, sizeof b->cmdline, mi->cmdline,
                                                            "command line"))
        return false;
    mb_drop_image_name(b->cmdline);
    if ((mi->flags & MB1_INFO_LOADER) && !mb_copy_phys_string(p, b->loader, sizeof b->loader,
                                                           mi->boot_loader_name, "boot loader name"))
        return false;

    if (!(mi->flags & MB1_INFO_MMAP))
        return FAIL(p, "multiboot1 info has no memory map (flags bit 6 clear)");
    b->mmap_source = MMAP_MB1;
    const u8 *mm = p->map(p->ctx, mi->mmap_addr, mi->mmap_length);
    if (!mm)
        return FAIL(p, "multiboot1 memory map 0x%x+%u is outside readable memory", mi->mmap_addr,
                    mi->mmap_length);
    for (u32 off = 0; off < mi->mmap_length;) {
        const struct mb1_mmap_entry *e = (const void *)(mm + off);
        if (mi->mmap_length - off < sizeof *e)
            return FAIL(p, "multiboot1 memory map entry at offset %u runs past the end", off);
        if (e->size < sizeof *e - sizeof e->size || e->size > mi->mmap_length - off - sizeof e->size)
            return FAIL(p, "multiboot1 memory map entry at offset %u has bad size %u", off, e->size);
        if (!mb_add_mem(p, e->base, e->length, e->type))
            return false;
        off += e->size + sizeof e->size;
    }

    if (mi->flags & MB1_INFO_MODS) {
        if (mi->mods_count > BOOT_MAX_MODULES)
            return FAIL(p, "more than %d modules (%u)", BOOT_MAX_MODULES, mi->mods_count);
        const struct mb1_module *mods = p->map(p->ctx, mi->mods_addr, (u64)mi->mods_count * sizeof *mods);
        if (!mods && mi->mods_count)
            return FAIL(p, "multiboot1 module list at 0x%x is outside readable memory", mi->mods_addr);
        for (u32 i = 0; i < mi->mods_count; i++) {
            if (!mb_add_module(p, mods[i].mod_start, mods[i].mod_end, NULL, 0))
                return false;
            if (mods[i].cmdline && !mb_copy_phys_string(p, b->modules[i].cmdline, sizeof b->modules[i].cmdline,
                                                     mods[i].cmdline, "module command line"))
                return false;
            mb_drop_image_name(b->modules[i].cmdline);
        }
    }
    return true;
}
