/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the guest image parsers: module command lines, multiboot1 kernels, the guest's memory map. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "vm/image_spec.h"
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

/* Byte 0 picks the parser. */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: spec(data + 1, size - 1); break;
    case 1: image(data + 1, size - 1); break;
    default: mmap(data + 1, size - 1); break;
    }
    return 0;
}
