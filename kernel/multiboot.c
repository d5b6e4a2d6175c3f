/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot information parser, common part: the entry point, names, and the checks both formats share. Every
 * length and pointer is validated before use; what cannot be trusted is rejected (multiboot1.c, multiboot2.c). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/multiboot.h"
#include "kernel/multiboot_parser.h"
#include "kernel/format.h"
#include "kernel/multiboot_abi.h"


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

/* Copies a NUL-terminated string of at most n bytes (terminator included) that lies within `avail`. */
bool mb_copy_bounded(char *dst, size_t dstlen, const char *src, size_t avail)
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
bool mb_copy_phys_string(struct parser *p, char *dst, size_t dstlen, u32 addr, const char *what)
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
void mb_drop_image_name(char *s)
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

bool mb_add_mem(struct parser *p, u64 base, u64 length, u32 type)
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

/* Like mb_add_mem, but extends the previous entry when this one continues it with the same type. */
bool mb_add_mem_merged(struct parser *p, u64 base, u64 length, u32 type)
{
    struct boot_info *b = p->out;
    struct mem_entry *last = b->mmap_count ? &b->mmap[b->mmap_count - 1] : NULL;

    if (last && last->type == type && last->base + last->length == base && length &&
        base + length > base) {
        last->length += length;
        return true;
    }
    return mb_add_mem(p, base, length, type);
}

bool mb_add_module(struct parser *p, u32 start, u32 end, const char *line, size_t avail)
{
    struct boot_info *b = p->out;

    if (b->module_count == BOOT_MAX_MODULES)
        return FAIL(p, "more than %d modules", BOOT_MAX_MODULES);
    if (end < start)
        return FAIL(p, "module %u ends (0x%x) before it starts (0x%x)", b->module_count, end, start);
    struct boot_module *m = &b->modules[b->module_count];
    m->range = (struct range){ start, end };
    if (line && !mb_copy_bounded(m->cmdline, sizeof m->cmdline, line, avail))
        return FAIL(p, "module %u command line is unterminated or longer than %d bytes", b->module_count,
                    BOOT_MODLINE_MAX - 1);
    b->module_count++;
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
        ok = mb_parse_v2(&p, info_addr);
    } else if (magic == MB1_BOOTLOADER_MAGIC) {
        out->protocol = BOOT_MULTIBOOT1;
        ok = mb_parse_v1(&p, info_addr);
    } else {
        return FAIL(&p, "not started by a multiboot loader (magic 0x%x; expected 0x%x or 0x%x)", magic,
                    MB2_BOOTLOADER_MAGIC, MB1_BOOTLOADER_MAGIC);
    }
    return ok && check_modules(&p, hv);
}
