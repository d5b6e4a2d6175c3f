/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot1 guest images and info blocks (Multiboot Specification 0.6.96, sections 3.1-3.3; pure). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/format.h"
#include "kernel/multiboot_abi.h"
#include "vm/mb1_image.h"

#define MB1_SEARCH      8192
#define MB1_AOUT_KLUDGE BIT(16)
#define ELF_PT_LOAD     1
#define ELF_CLASS32     1
#define ELF_DATA_LE     1
#define ELF_MACHINE_386 3
#define ELF_TYPE_EXEC   2

#define FAIL(...) (ksnprintf(err, errlen, __VA_ARGS__), false)

static u32 rd32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24; }
static u16 rd16(const u8 *p) { return (u16)(p[0] | p[1] << 8); }

static bool parse_aout(const u8 *h, u64 header_offset, u64 size, struct mb1_image *out, char *err, size_t errlen)
{
    u32 header_addr = rd32(h + 12), load = rd32(h + 16), load_end = rd32(h + 20), bss_end = rd32(h + 24);
    if (header_addr < load || header_addr - load > header_offset)
        return FAIL("multiboot1 a.out header: header_addr 0x%x is before load_addr 0x%x or the file start",
                    header_addr, load);
    u64 file_offset = header_offset - (header_addr - load);
    u64 file_size = load_end ? (u64)load_end - load : size - file_offset;
    if (load_end && load_end < load)
        return FAIL("multiboot1 a.out header: load_end_addr 0x%x is below load_addr 0x%x", load_end, load);
    if (file_offset + file_size > size)
        return FAIL("truncated image: %llu bytes to load from offset %llu, the file has %llu",
                    (unsigned long long)file_size, (unsigned long long)file_offset, (unsigned long long)size);
    u64 mem_size = bss_end ? (u64)bss_end - load : file_size;
    if (mem_size < file_size)
        return FAIL("multiboot1 a.out header: bss_end_addr 0x%x is below the loaded data", bss_end);
    out->entry = rd32(h + 28);
    out->count = 1;
    out->seg[0] = (struct mb1_segment){ file_offset, file_size, load, mem_size };
    return true;
}

static bool parse_elf32(const u8 *img, u64 size, struct mb1_image *out, char *err, size_t errlen)
{
    if (size < 52 || img[0] != 0x7F || img[1] != 'E' || img[2] != 'L' || img[3] != 'F')
        return FAIL("not an ELF file and no a.out kludge in the multiboot1 header (unknown format)");
    if (img[4] != ELF_CLASS32 || img[5] != ELF_DATA_LE || rd16(img + 18) != ELF_MACHINE_386)
        return FAIL("ELF is not 32-bit little-endian i386 (class %u, data %u, machine %u)", img[4], img[5],
                    rd16(img + 18));
    if (rd16(img + 16) != ELF_TYPE_EXEC)
        return FAIL("ELF type %u is not an executable", rd16(img + 16));
    u32 phoff = rd32(img + 28);
    u16 phentsize = rd16(img + 42), phnum = rd16(img + 44);
    if (phentsize < 32 || (u64)phoff + (u64)phnum * phentsize > size)
        return FAIL("truncated ELF: program headers (%u of %u bytes at %u) run past the end of the file", phnum,
                    phentsize, phoff);
    out->entry = rd32(img + 24);
    out->count = 0;
    for (u16 i = 0; i < phnum; i++) {
        const u8 *ph = img + phoff + (u64)i * phentsize;
        if (rd32(ph) != ELF_PT_LOAD || rd32(ph + 20) == 0)
            continue;
        u64 offset = rd32(ph + 4), paddr = rd32(ph + 12), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
        if (offset + filesz > size)
            return FAIL("truncated ELF: segment %u (%llu bytes at offset %llu) runs past the end of the file", i,
                        (unsigned long long)filesz, (unsigned long long)offset);
        if (filesz > memsz)
            return FAIL("ELF segment %u has more file bytes than memory bytes", i);
        if (out->count == MB1_MAX_SEGMENTS)
            return FAIL("ELF has more than %d loadable segments", MB1_MAX_SEGMENTS);
        out->seg[out->count++] = (struct mb1_segment){ offset, filesz, paddr, memsz };
    }
    if (out->count == 0)
        return FAIL("ELF has no loadable segment");
    /* A kernel linked at a virtual address (higher half) has a virtual e_entry: the loader starts it at the
     * physical address of the segment holding it, as GRUB does. */
    for (u16 i = 0; i < phnum; i++) {
        const u8 *ph = img + phoff + (u64)i * phentsize;
        u32 vaddr = rd32(ph + 8), paddr = rd32(ph + 12), memsz = rd32(ph + 20);
        if (rd32(ph) == ELF_PT_LOAD && out->entry - vaddr < memsz) {
            out->entry = out->entry - vaddr + paddr;
            break;
        }
    }
    return true;
}

bool mb1_image_parse(const u8 *image, u64 size, struct mb1_image *out, char *err, size_t errlen)
{
    for (u64 off = 0; off + 32 <= size && off < MB1_SEARCH; off += 4) {
        const u8 *h = image + off;
        u32 magic = rd32(h), flags = rd32(h + 4), checksum = rd32(h + 8);
        if (magic != MB1_HEADER_MAGIC || (u32)(magic + flags + checksum) != 0)
            continue;
        return flags & MB1_AOUT_KLUDGE ? parse_aout(h, off, size, out, err, errlen)
                                       : parse_elf32(image, size, out, err, errlen);
    }
    return FAIL("no multiboot1 header in the first %d bytes", MB1_SEARCH);
}

static bool emit(struct mem_entry *out, u32 *count, u32 max, u64 start, u64 end, u32 type)
{
    if (start >= end)
        return true;
    if (*count == max)
        return false;
    out[(*count)++] = (struct mem_entry){ start, end - start, type };
    return true;
}

u32 guest_mmap(const struct mem_entry *in, u32 n, struct range hv, struct mem_entry *out, u32 max)
{
    u32 count = 0;
    bool placed = false;
    for (u32 i = 0; i < n; i++) {
        u64 start = in[i].base, end = in[i].base + in[i].length;
        if (!ranges_overlap((struct range){ start, end }, hv)) {
            if (!emit(out, &count, max, start, end, in[i].type))
                return 0;
            continue;
        }
        if (!emit(out, &count, max, start, hv.start, in[i].type))
            return 0;
        if (!placed && !emit(out, &count, max, hv.start, hv.end, MEM_RESERVED))
            return 0;
        placed = true;
        if (!emit(out, &count, max, hv.end, end, in[i].type))
            return 0;
    }
    return count;
}

/* Appends bytes to the block; returns their guest-physical address, or 0 when they do not fit. */
static u32 put(u8 *buf, u32 size, u32 gpa, u32 *used, const void *data, u32 len)
{
    if (len > size - *used)
        return 0;
    for (u32 i = 0; i < len; i++)
        buf[*used + i] = ((const u8 *)data)[i];
    *used += len;
    return gpa + *used - len;
}

u32 mb1_info_build(u8 *buf, u32 size, u32 gpa, const struct mem_entry *mmap, u32 n, const char *cmdline,
                   const char *loader, const struct mb1_guest_module *mods, u32 mod_count)
{
    struct mb1_info info = { 0 };
    u32 used = sizeof info;
    if (size < used)
        return 0;

    /* mem_lower: usable KiB from 0; mem_upper: usable KiB contiguous from 1 MiB (spec 3.3). */
    for (u32 i = 0; i < n; i++) {
        if (mmap[i].type != MEM_USABLE)
            continue;
        if (mmap[i].base == 0)
            info.mem_lower = (u32)(MIN(mmap[i].length, 640 * KiB) / KiB);
        if (mmap[i].base <= MiB && mmap[i].base + mmap[i].length > MiB)
            info.mem_upper = (u32)(MIN(mmap[i].base + mmap[i].length - MiB, 0xFFFFFFFFULL * KiB) / KiB);
    }
    info.mmap_addr = gpa + used;
    for (u32 i = 0; i < n; i++) {
        struct mb1_mmap_entry e = { sizeof e - sizeof e.size, mmap[i].base, mmap[i].length, mmap[i].type };
        if (!put(buf, size, gpa, &used, &e, sizeof e))
            return 0;
    }
    info.mmap_length = used - (info.mmap_addr - gpa);
    info.cmdline = put(buf, size, gpa, &used, cmdline, (u32)__builtin_strlen(cmdline) + 1);
    info.boot_loader_name = put(buf, size, gpa, &used, loader, (u32)__builtin_strlen(loader) + 1);
    if (!info.cmdline || !info.boot_loader_name)
        return 0;
    /* The module list, then the modules' strings behind it (the list's own size first, to know where they go). */
    u32 list = used, list_size = mod_count * (u32)sizeof(struct mb1_module);
    if (list_size > size - used)
        return 0;
    used += list_size;
    for (u32 i = 0; i < mod_count; i++) {
        struct mb1_module mod = { mods[i].start, mods[i].end, 0, 0 };
        mod.cmdline = put(buf, size, gpa, &used, mods[i].cmdline, (u32)__builtin_strlen(mods[i].cmdline) + 1);
        if (!mod.cmdline)
            return 0;
        for (u32 k = 0; k < sizeof mod; k++)
            buf[list + i * sizeof mod + k] = ((const u8 *)&mod)[k];
    }
    info.mods_count = mod_count;
    info.mods_addr = mod_count ? gpa + list : 0;
    info.flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP | MB1_INFO_LOADER;
    for (u32 i = 0; i < sizeof info; i++)
        buf[i] = ((const u8 *)&info)[i];
    return used;
}
