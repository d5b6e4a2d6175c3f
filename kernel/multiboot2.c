/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot2 information (Multiboot2 spec 3.6): the tag walk, memory maps (tag 6 and the EFI map, tag 17). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/multiboot_abi.h"
#include "kernel/multiboot_parser.h"

#define MB2_INFO_MAX_SIZE   (1u << 20)  /* far beyond any real loader's info block: treat as corrupt */

static bool parse_mb2_mmap(struct parser *p, const struct mb2_tag_mmap *t)
{
    if (t->size < sizeof *t)
        return FAIL(p, "multiboot2 memory map tag is too short (%u bytes)", t->size);
    if (t->entry_size < sizeof(struct mb2_mmap_entry) || t->entry_size % 8)
        return FAIL(p, "multiboot2 memory map entry size %u is invalid (need a multiple of 8, >= 24)",
                    t->entry_size);
    u32 body = t->size - (u32)sizeof *t;
    if (body == 0 || body % t->entry_size)
        return FAIL(p, "multiboot2 memory map holds %u bytes, not a whole number of %u-byte entries", body,
                    t->entry_size);
    const u8 *e = (const u8 *)(t + 1);
    /* off <= size throughout, so size - off cannot wrap (off + entry_size could: entry sizes near 2^32). */
    for (u32 off = sizeof *t; t->size - off >= t->entry_size; off += t->entry_size, e += t->entry_size) {
        const struct mb2_mmap_entry *me = (const struct mb2_mmap_entry *)e;
        if (!mb_add_mem(p, me->base, me->length, me->type))
            return false;
    }
    return true;
}

/*
 * What an EFI memory type is once the loader has called ExitBootServices (UEFI spec, "Memory Type Usage after
 * ExitBootServices()"): loader and boot-services memory is free RAM again, ACPI reclaim memory holds the
 * tables, and everything else (runtime services, MMIO, PAL code, persistent and OEM types) stays reserved.
 */
static u32 efi_mem_type(u32 efi_type)
{
    switch (efi_type) {
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
    case EFI_CONVENTIONAL_MEMORY:
        return MEM_USABLE;
    case EFI_ACPI_RECLAIM_MEMORY:
        return MEM_ACPI;
    case EFI_ACPI_MEMORY_NVS:
        return MEM_NVS;
    case EFI_UNUSABLE_MEMORY:
        return MEM_BAD;
    default:
        return MEM_RESERVED;
    }
}

/* Tag type 17: descriptors are descr_size apart (larger than the struct on some firmware); read by copy. */
static bool parse_efi_mmap(struct parser *p, const struct mb2_tag_efi_mmap *t)
{
    if (t->size < sizeof *t)
        return FAIL(p, "multiboot2 EFI memory map tag is too short (%u bytes)", t->size);
    if (t->descr_vers != EFI_MEMORY_DESCRIPTOR_VERSION)
        return FAIL(p, "multiboot2 EFI memory map descriptor version %u is not %u", t->descr_vers,
                    EFI_MEMORY_DESCRIPTOR_VERSION);
    if (t->descr_size < sizeof(struct efi_memory_descriptor))
        return FAIL(p, "multiboot2 EFI memory map descriptor size %u is invalid (need >= %zu)", t->descr_size,
                    sizeof(struct efi_memory_descriptor));
    u32 body = t->size - (u32)sizeof *t;
    if (body == 0 || body % t->descr_size)
        return FAIL(p, "multiboot2 EFI memory map holds %u bytes, not a whole number of %u-byte descriptors",
                    body, t->descr_size);
    const u8 *d = (const u8 *)(t + 1);
    for (u32 i = 0; i < body / t->descr_size; i++) {
        struct efi_memory_descriptor e;
        __builtin_memcpy(&e, d + (size_t)i * t->descr_size, sizeof e);
        if (e.physical_start % EFI_PAGE_SIZE)
            return FAIL(p, "EFI memory descriptor %u starts at 0x%llx, not on a 4 KiB page", i,
                        (unsigned long long)e.physical_start);
        if (e.number_of_pages > ~0ull / EFI_PAGE_SIZE)
            return FAIL(p, "EFI memory descriptor %u has an impossible page count 0x%llx", i,
                        (unsigned long long)e.number_of_pages);
        if (!mb_add_mem_merged(p, e.physical_start, e.number_of_pages * EFI_PAGE_SIZE, efi_mem_type(e.type)))
            return false;
    }
    return true;
}

/* The tags that carry a memory map, kept until the walk is over: the EFI map wins when both are there. */
struct mb2_maps {
    const struct mb2_tag_mmap *mmap;
    const struct mb2_tag_efi_mmap *efi;
};

static bool parse_mb2_tag(struct parser *p, const struct mb2_tag *t, struct mb2_maps *maps)
{
    struct boot_info *b = p->out;
    const char *body = (const char *)(t + 1);
    size_t body_len = t->size - sizeof *t;

    switch (t->type) {
    case MB2_TAG_CMDLINE:
        if (!mb_copy_bounded(b->cmdline, sizeof b->cmdline, body, body_len))
            return FAIL(p, "command line is unterminated or longer than %d bytes", BOOT_CMDLINE_MAX - 1);
        return true;
    case MB2_TAG_LOADER_NAME:
        if (!mb_copy_bounded(b->loader, sizeof b->loader, body, body_len))
            return FAIL(p, "boot loader name is unterminated or too long");
        return true;
    case MB2_TAG_MODULE: {
        const struct mb2_tag_module *m = (const void *)t;
        if (t->size < sizeof *m + 1)
            return FAIL(p, "multiboot2 module tag is too short (%u bytes)", t->size);
        return mb_add_module(p, m->mod_start, m->mod_end, m->cmdline, t->size - sizeof *m);
    }
    case MB2_TAG_MMAP:
        if (maps->mmap)
            return FAIL(p, "multiboot2 info has two memory map tags");
        maps->mmap = (const void *)t;
        return true;
    case MB2_TAG_EFI_MMAP:
        if (maps->efi)
            return FAIL(p, "multiboot2 info has two EFI memory map tags");
        maps->efi = (const void *)t;
        return true;
    case MB2_TAG_ACPI_OLD:
        if (body_len < sizeof b->rsdp_v1)
            return FAIL(p, "multiboot2 ACPI (old RSDP) tag is too short (%u bytes)", t->size);
        __builtin_memcpy(b->rsdp_v1, body, sizeof b->rsdp_v1);
        b->has_rsdp_v1 = true;
        return true;
    case MB2_TAG_ACPI_NEW:
        if (body_len < sizeof b->rsdp_v2)
            return FAIL(p, "multiboot2 ACPI (new RSDP) tag is too short (%u bytes)", t->size);
        __builtin_memcpy(b->rsdp_v2, body, sizeof b->rsdp_v2);
        b->has_rsdp_v2 = true;
        return true;
    default:
        return true;    /* tags we do not use are skipped by their size */
    }
}

bool mb_parse_v2(struct parser *p, u64 addr)
{
    if (addr & 7)
        return FAIL(p, "multiboot2 info at 0x%llx is not 8-byte aligned", (unsigned long long)addr);
    const struct mb2_info_header *h = p->map(p->ctx, addr, sizeof *h);
    if (!h)
        return FAIL(p, "multiboot2 info at 0x%llx is outside readable memory", (unsigned long long)addr);
    u32 total = h->total_size;
    if (total < sizeof *h + sizeof(struct mb2_tag) || total > MB2_INFO_MAX_SIZE)
        return FAIL(p, "multiboot2 info total_size %u is implausible", total);
    const u8 *base = p->map(p->ctx, addr, total);
    if (!base)
        return FAIL(p, "multiboot2 info 0x%llx+%u is outside readable memory", (unsigned long long)addr, total);

    struct mb2_maps maps = { NULL, NULL };
    u32 off = sizeof *h;
    for (;;) {
        if (off + sizeof(struct mb2_tag) > total)
            return FAIL(p, "multiboot2 info has no end tag (ran out at offset %u of %u)", off, total);
        const struct mb2_tag *t = (const void *)(base + off);
        if (t->size < sizeof *t)
            return FAIL(p, "multiboot2 tag type %u at offset %u has size %u (< 8)", t->type, off, t->size);
        if (t->size > total - off)
            return FAIL(p, "multiboot2 tag type %u at offset %u runs past the end (size %u, %u left)",
                        t->type, off, t->size, total - off);
        if (t->type == MB2_TAG_END)
            break;
        if (!parse_mb2_tag(p, t, &maps))
            return false;
        off = (u32)ALIGN_UP(off + t->size, 8);
    }
    /*
     * GRUB on UEFI builds tag 6 from its own view before ExitBootServices (runtime code shows up as its
     * internal type 20) and tag 17 from the firmware's final map at ExitBootServices: prefer the latter.
     */
    if (maps.efi) {
        p->out->mmap_source = MMAP_EFI;
        return parse_efi_mmap(p, maps.efi);
    }
    if (maps.mmap) {
        p->out->mmap_source = MMAP_MB2;
        return parse_mb2_mmap(p, maps.mmap);
    }
    return FAIL(p, "multiboot2 info has no memory map (tag type 6 or 17)");
}
