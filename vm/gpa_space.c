/* SPDX-License-Identifier: BSD-2-Clause */
/* Free guest-physical RAM as sorted ranges, for the guest loaders (pure). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vm/gpa_space.h"

#define PAGE 0x1000ULL

static u64 page_down(u64 a) { return a & ~(PAGE - 1); }
static u64 page_up(u64 a) { return a > ~0ULL - (PAGE - 1) ? ~0ULL & ~(PAGE - 1) : (a + PAGE - 1) & ~(PAGE - 1); }

/* Inserts [start, end) into the sorted list, merging with any range it touches. */
static void add_free(struct gpa_space *s, u64 start, u64 end)
{
    if (start >= end)
        return;
    u32 i = 0;
    while (i < s->count && s->free[i].end < start)
        i++;
    /* Ranges i..j-1 touch or overlap [start, end): merge them into one. */
    u32 j = i;
    while (j < s->count && s->free[j].start <= end) {
        start = MIN(start, s->free[j].start);
        end = MAX(end, s->free[j].end);
        j++;
    }
    if (j == i) {
        if (s->count == GPA_SPACE_MAX)
            return;     /* a map with more pieces than this: the highest ones are left out */
        for (u32 k = s->count; k > i; k--)
            s->free[k] = s->free[k - 1];
        s->count++;
    } else {
        for (u32 k = j; k < s->count; k++)
            s->free[i + 1 + k - j] = s->free[k];
        s->count -= j - i - 1;
    }
    s->free[i] = (struct range){ start, end };
}

void gpa_space_init(struct gpa_space *s, const struct mem_entry *map, u32 n)
{
    s->count = 0;
    for (u32 i = 0; i < n; i++) {
        if (map[i].type != MEM_USABLE || map[i].length == 0)
            continue;
        u64 end = map[i].base + map[i].length < map[i].base ? ~0ULL : map[i].base + map[i].length;
        add_free(s, map[i].base, end);
    }
    /* Only whole pages are handed out: trim each merged range inward. */
    u32 kept = 0;
    for (u32 i = 0; i < s->count; i++) {
        u64 start = page_up(s->free[i].start), end = page_down(s->free[i].end);
        if (start < end)
            s->free[kept++] = (struct range){ start, end };
    }
    s->count = kept;
}

bool gpa_reserve(struct gpa_space *s, struct range r)
{
    u64 start = page_down(r.start), end = page_up(r.end);
    if (start >= end)
        return true;
    u32 splits = 0;
    for (u32 i = 0; i < s->count; i++)
        splits += s->free[i].start < start && s->free[i].end > end;
    if (s->count + splits > GPA_SPACE_MAX)
        return false;
    struct range keep[GPA_SPACE_MAX];
    u32 n = 0;
    for (u32 i = 0; i < s->count; i++) {
        struct range f = s->free[i];
        if (!ranges_overlap(f, (struct range){ start, end })) {
            keep[n++] = f;
            continue;
        }
        if (f.start < start)
            keep[n++] = (struct range){ f.start, start };
        if (f.end > end)
            keep[n++] = (struct range){ end, f.end };
    }
    for (u32 i = 0; i < n; i++)
        s->free[i] = keep[i];
    s->count = n;
    return true;
}

bool gpa_is_free(const struct gpa_space *s, struct range r)
{
    if (r.start >= r.end)
        return false;
    for (u32 i = 0; i < s->count; i++)
        if (s->free[i].start <= r.start && r.end <= s->free[i].end)
            return true;
    return false;
}

u64 gpa_alloc(struct gpa_space *s, u64 size, u64 align, struct range within, enum gpa_pick pick)
{
    if (size == 0 || align < PAGE || (align & (align - 1)))
        return GPA_NONE;
    size = page_up(size);
    if (size == 0)
        return GPA_NONE;
    u64 best = GPA_NONE;
    for (u32 i = 0; i < s->count; i++) {
        u64 lo = MAX(s->free[i].start, within.start), hi = MIN(s->free[i].end, within.end);
        if (lo >= hi || hi - lo < size)
            continue;
        u64 first = (lo + align - 1) & ~(align - 1), last = (hi - size) & ~(align - 1);
        if (first < lo || first > hi - size || last < lo)     /* no aligned place (or the round-up wrapped) */
            continue;
        u64 at = pick == GPA_LOWEST ? first : last;
        if (best == GPA_NONE || (pick == GPA_LOWEST ? at < best : at > best))
            best = at;
        if (pick == GPA_LOWEST)
            break;      /* the ranges are sorted: the first fit is the lowest */
    }
    if (best != GPA_NONE && !gpa_reserve(s, (struct range){ best, best + size }))
        return GPA_NONE;
    return best;
}
