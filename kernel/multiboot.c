/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot1/2 info parser: validates every length and pointer before use; rejects what it cannot trust. */
#include "kernel/multiboot.h"
#include "kernel/format.h"
#include "kernel/multiboot_abi.h"

#define MB2_INFO_MAX_SIZE   (1u << 20)  /* far beyond any real loader's info block: treat as corrupt */

struct parser {
    phys_map_fn map;
    void *ctx;
    struct boot_info *out;
    char *err;
    size_t errlen;
};

#define FAIL(p, ...) (ksnprintf((p)->err, (p)->errlen, __VA_ARGS__), false)

const char *mem_type_name(u32 type)
{
    switch (type) {
    case MEM_USABLE: return "usable";
    case MEM_RESERVED: return "reserved";
    case MEM_ACPI: return "ACPI data";
    case MEM_NVS: return "ACPI NVS";
    case MEM_BAD: return "bad";
    default: return "unknown";
    }
}

const char *boot_protocol_name(enum boot_protocol p)
{
    return p == BOOT_MULTIBOOT1 ? "multiboot1" : "multiboot2";
}

const char *mmap_source_name(enum mmap_source s)
{
    switch (s) {
    case MMAP_MB1: return "multiboot1 memory map";
    case MMAP_MB2: return "multiboot2 memory map tag";
    case MMAP_EFI: return "multiboot2 EFI memory map tag";
    default: return "none";
    }
}

/* Copies a NUL-terminated string of at most n bytes (terminator included) that lies within `avail`. */
static bool copy_bounded(char *dst, size_t dstlen, const char *src, size_t avail)
{
    for (size_t i = 0; i < avail; i++) {
        if (i == dstlen)
            return false;
        dst[i] = src[i];
        if (!src[i])
            return true;
    }
    return false;
}

/* Copies a string at a physical address (multiboot1 pointers), one byte mapping at a time. */
static bool copy_phys_string(struct parser *p, char *dst, size_t dstlen, u32 addr, const char *what)
{
    for (size_t i = 0; i < dstlen; i++) {
        const char *c = p->map(p->ctx, (u64)addr + i, 1);
        if (!c)
            return FAIL(p, "%s at 0x%x is outside readable memory", what, addr);
        dst[i] = *c;
        if (!*c)
            return true;
    }
    return FAIL(p, "%s at 0x%x is longer than %zu bytes", what, addr, dstlen - 1);
}

/*
 * iPXE (like GRUB Legacy) starts a multiboot1 command line with the image's own URI or path, as argv[0]:
 * a first word with a '/' and no '=' is that name, not an option, and is dropped.
 */
static void drop_image_name(char *s)
{
    size_t n = 0;
    bool slash = false, equals = false;

    for (; s[n] && s[n] != ' '; n++) {
        slash |= s[n] == '/';
        equals |= s[n] == '=';
    }
    if (!slash || equals)
        return;
    while (s[n] == ' ')
        n++;
    for (size_t i = 0;; i++) {
        s[i] = s[n + i];
        if (!s[i])
            break;
    }
}

static bool add_mem(struct parser *p, u64 base, u64 length, u32 type)
{
    struct boot_info *b = p->out;

    if (length == 0)
        return true;
    if (base + length < base)
        return FAIL(p, "memory map entry 0x%llx+0x%llx wraps around",
                    (unsigned long long)base, (unsigned long long)length);
    if (b->mmap_count == BOOT_MAX_MMAP)
        return FAIL(p, "memory map has more than %d entries", BOOT_MAX_MMAP);
    b->mmap[b->mmap_count++] = (struct mem_entry){ base, length, type };
    return true;
}

/* Like add_mem, but extends the previous entry when this one continues it with the same type. */
static bool add_mem_merged(struct parser *p, u64 base, u64 length, u32 type)
{
    struct boot_info *b = p->out;
    struct mem_entry *last = b->mmap_count ? &b->mmap[b->mmap_count - 1] : NULL;

    if (last && last->type == type && last->base + last->length == base && length &&
        base + length > base) {
        last->length += length;
        return true;
    }
    return add_mem(p, base, length, type);
}

static bool add_module(struct parser *p, u32 start, u32 end, const char *line, size_t avail)
{
    struct boot_info *b = p->out;

    if (b->module_count == BOOT_MAX_MODULES)
        return FAIL(p, "more than %d modules", BOOT_MAX_MODULES);
    if (end < start)
        return FAIL(p, "module %u ends (0x%x) before it starts (0x%x)", b->module_count, end, start);
    struct boot_module *m = &b->modules[b->module_count];
    m->range = (struct range){ start, end };
    if (line && !copy_bounded(m->cmdline, sizeof m->cmdline, line, avail))
        return FAIL(p, "module %u command line is unterminated or longer than %d bytes", b->module_count,
                    BOOT_MODLINE_MAX - 1);
    b->module_count++;
    return true;
}

static bool parse_mb2_mmap(struct parser *p, const struct mb2_tag_mmap *t)
{
    if (t->size < sizeof *t)
        return FAIL(p, "multiboot2 memory map tag is too short (%u bytes)", t->size);
    if (t->entry_size < sizeof(struct mb2_mmap_entry) || t->entry_size % 8)
        return FAIL(p, "multiboot2 memory map entry size %u is invalid (need a multiple of 8, >= 24)",
                    t->entry_size);
    const u8 *e = (const u8 *)(t + 1);
    for (u32 off = sizeof *t; off + t->entry_size <= t->size; off += t->entry_size, e += t->entry_size) {
        const struct mb2_mmap_entry *me = (const struct mb2_mmap_entry *)e;
        if (!add_mem(p, me->base, me->length, me->type))
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
        if (!add_mem_merged(p, e.physical_start, e.number_of_pages * EFI_PAGE_SIZE, efi_mem_type(e.type)))
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
        if (!copy_bounded(b->cmdline, sizeof b->cmdline, body, body_len))
            return FAIL(p, "command line is unterminated or longer than %d bytes", BOOT_CMDLINE_MAX - 1);
        return true;
    case MB2_TAG_LOADER_NAME:
        if (!copy_bounded(b->loader, sizeof b->loader, body, body_len))
            return FAIL(p, "boot loader name is unterminated or too long");
        return true;
    case MB2_TAG_MODULE: {
        const struct mb2_tag_module *m = (const void *)t;
        if (t->size < sizeof *m + 1)
            return FAIL(p, "multiboot2 module tag is too short (%u bytes)", t->size);
        return add_module(p, m->mod_start, m->mod_end, m->cmdline, t->size - sizeof *m);
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

static bool parse_mb2(struct parser *p, u64 addr)
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

static bool parse_mb1(struct parser *p, u64 addr)
{
    struct boot_info *b = p->out;
    const struct mb1_info *mi = p->map(p->ctx, addr, sizeof *mi);
    if (!mi)
        return FAIL(p, "multiboot1 info at 0x%llx is outside readable memory", (unsigned long long)addr);

    if ((mi->flags & MB1_INFO_CMDLINE) && !copy_phys_string(p, b->cmdline, sizeof b->cmdline, mi->cmdline,
                                                            "command line"))
        return false;
    drop_image_name(b->cmdline);
    if ((mi->flags & MB1_INFO_LOADER) && !copy_phys_string(p, b->loader, sizeof b->loader,
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
        if (!add_mem(p, e->base, e->length, e->type))
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
            if (!add_module(p, mods[i].mod_start, mods[i].mod_end, NULL, 0))
                return false;
            if (mods[i].cmdline && !copy_phys_string(p, b->modules[i].cmdline, sizeof b->modules[i].cmdline,
                                                     mods[i].cmdline, "module command line"))
                return false;
            drop_image_name(b->modules[i].cmdline);
        }
    }
    return true;
}

static bool check_modules(struct parser *p, struct range hv)
{
    const struct boot_info *b = p->out;

    for (u32 i = 0; i < b->module_count; i++) {
        struct range r = b->modules[i].range;
        if (ranges_overlap(r, hv))
            return FAIL(p, "module %u [0x%llx-0x%llx) overlaps the hypervisor [0x%llx-0x%llx)", i,
                        (unsigned long long)r.start, (unsigned long long)r.end,
                        (unsigned long long)hv.start, (unsigned long long)hv.end);
        for (u32 j = 0; j < i; j++)
            if (ranges_overlap(r, b->modules[j].range))
                return FAIL(p, "modules %u and %u overlap", j, i);
    }
    return true;
}

bool boot_info_parse(u32 magic, u64 info_addr, phys_map_fn map, void *ctx, struct range hv,
                     struct boot_info *out, char *err, size_t errlen)
{
    struct parser p = { map, ctx, out, err, errlen };
    bool ok;

    __builtin_memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (magic == MB2_BOOTLOADER_MAGIC) {
        out->protocol = BOOT_MULTIBOOT2;
        ok = parse_mb2(&p, info_addr);
    } else if (magic == MB1_BOOTLOADER_MAGIC) {
        out->protocol = BOOT_MULTIBOOT1;
        ok = parse_mb1(&p, info_addr);
    } else {
        return FAIL(&p, "not started by a multiboot loader (magic 0x%x; expected 0x%x or 0x%x)", magic,
                    MB2_BOOTLOADER_MAGIC, MB1_BOOTLOADER_MAGIC);
    }
    return ok && check_modules(&p, hv);
}
