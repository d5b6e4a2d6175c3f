/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the guest image parsers: module command lines, multiboot1 kernels, Linux bzImages, the
 * guest's memory map and the allocator of its free RAM. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "vm/gpa_space.h"
#include "vm/image_spec.h"
#include "vm/linux_image.h"
#include "vm/mb1_image.h"

static const struct range HV = { 0x4000000, 0x4a00000 };

static void spec(const u8 *data, size_t size)
{
    char line[300], err[160];
    size_t n = size < sizeof line - 1 ? size : sizeof line - 1;
    memcpy(line, data, n);
    line[n] = '\0';
    struct image_spec s;
    memset(err, 'x', sizeof err);
    if (image_spec_parse(line, &s, err, sizeof err)) {
        INVARIANT(s.kind == IMAGE_FLAT || s.kind == IMAGE_MULTIBOOT);
        INVARIANT(memchr(s.name, '\0', sizeof s.name) && s.name[0] && memchr(s.args, '\0', sizeof s.args));
        INVARIANT(s.load < (1ULL << 52));
    } else {
        INVARIANT(memchr(err, '\0', sizeof err) && err[0]);
    }
}

/* The image exactly as large as the input, so ASan sees any read past its end. */
static void image(const u8 *data, size_t size)
{
    u8 *img = malloc(size ? size : 1);
    memcpy(img, data, size);
    struct mb1_image mi;
    char err[160];
    memset(err, 'x', sizeof err);
    if (mb1_image_parse(img, size, &mi, err, sizeof err)) {
        INVARIANT(mi.count >= 1 && mi.count <= MB1_MAX_SEGMENTS);
        for (u32 i = 0; i < mi.count; i++) {
            const struct mb1_segment *s = &mi.seg[i];
            INVARIANT(s->file_offset <= size && s->file_size <= size - s->file_offset);
            INVARIANT(s->file_size <= s->mem_size);
        }
    } else {
        INVARIANT(memchr(err, '\0', sizeof err) && err[0]);
    }
    free(img);
}

/* The guest's map: the hypervisor's block is cut out of every entry and listed once as reserved. */
static void mmap(const u8 *data, size_t size)
{
    struct mem_entry in[16], out[40];
    u32 n = 0;
    for (; n < 16 && (n + 1) * 17 <= size; n++) {
        const u8 *p = data + n * 17;
        memcpy(&in[n].base, p, 8);
        memcpy(&in[n].length, p + 8, 8);
        in[n].base &= 0xFFFFFFFFFFULL;      /* below 1 TiB: no entry wraps */
        in[n].length &= 0xFFFFFFFFFULL;
        in[n].type = 1 + p[16] % 5;
    }
    u32 max = size ? data[0] % 40 : 40, count = guest_mmap(in, n, HV, out, max);
    INVARIANT(count <= max);
    u32 reserved = 0;
    for (u32 i = 0; i < count; i++) {
        struct range r = { out[i].base, out[i].base + out[i].length };
        if (r.start == HV.start && r.end == HV.end && out[i].type == MEM_RESERVED)
            reserved++;
        else
            INVARIANT(!ranges_overlap(r, HV));
    }
    INVARIANT(reserved <= 1);
}

/* A bzImage exactly as large as the input; a header it accepts also gives a zero page. */
static void bzimage(const u8 *data, size_t size)
{
    u8 *img = malloc(size ? size : 1), zp[LINUX_ZERO_PAGE];
    memcpy(img, data, size);
    struct linux_image li;
    char err[160];
    memset(err, 'x', sizeof err);
    if (linux_image_parse(img, size, &li, err, sizeof err)) {
        INVARIANT(li.kernel_offset + li.kernel_size == size && li.kernel_size > 0);
        INVARIANT(li.header_end <= size && li.header_end <= LINUX_ZERO_PAGE);
        INVARIANT(li.init_size >= li.kernel_size && (li.alignment & (li.alignment - 1)) == 0);
        struct mem_entry map = { 0x100000, 0x1000000, MEM_USABLE };
        struct linux_boot b = { .cmdline = 0x1000, .initrd = 0x200000, .initrd_size = 0x1000, .e820 = &map,
                                .e820_count = 1 };
        INVARIANT(linux_zero_page_build(zp, img, &li, &b));
        INVARIANT(zp[0x210] == LINUX_LOADER_TYPE && zp[0x1E8] == 1);
    } else {
        INVARIANT(memchr(err, '\0', sizeof err) && err[0]);
    }
    free(img);
}

/* Reservations and allocations from the input: the free ranges stay sorted, disjoint, page-aligned, and what
 * is handed out was free and is not any more. */
static void space(const u8 *data, size_t size)
{
    struct mem_entry map[8];
    u32 n = 0;
    for (; n < 8 && (n + 1) * 9 <= size && n < 4; n++) {
        const u8 *p = data + n * 9;
        u32 base, len;
        memcpy(&base, p, 4);
        memcpy(&len, p + 4, 4);
        map[n] = (struct mem_entry){ base, len, 1 + p[8] % 2 };
    }
    struct gpa_space s;
    gpa_space_init(&s, map, n);
    for (size_t i = n * 9; i + 9 <= size; i += 9) {
        u32 a, b;
        memcpy(&a, data + i, 4);
        memcpy(&b, data + i + 4, 4);
        if (data[i + 8] & 1) {
            gpa_reserve(&s, (struct range){ a, (u64)a + b });
        } else {
            u64 align = 0x1000ULL << (data[i + 8] >> 1 & 15);
            struct gpa_space before = s;
            u64 at = gpa_alloc(&s, b, align, (struct range){ a, 1ULL << 32 },
                               data[i + 8] & 0x80 ? GPA_HIGHEST : GPA_LOWEST);
            if (at != GPA_NONE) {
                struct range got = { at, at + ALIGN_UP((u64)b, 0x1000) };
                INVARIANT(at % align == 0 && at >= a && got.end <= 1ULL << 32);
                INVARIANT(gpa_is_free(&before, got) && !gpa_is_free(&s, (struct range){ at, at + 1 }));
            }
        }
        for (u32 k = 0; k < s.count; k++) {
            INVARIANT(s.free[k].start < s.free[k].end && !(s.free[k].start & 0xFFF) && !(s.free[k].end & 0xFFF));
            INVARIANT(k == 0 || s.free[k - 1].end < s.free[k].start);
        }
    }
}

/* Byte 0 picks the parser. */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 5) {
    case 0: spec(data + 1, size - 1); break;
    case 1: image(data + 1, size - 1); break;
    case 2: bzimage(data + 1, size - 1); break;
    case 3: space(data + 1, size - 1); break;
    default: mmap(data + 1, size - 1); break;
    }
    return 0;
}
