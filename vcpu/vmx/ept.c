/* SPDX-License-Identifier: BSD-2-Clause */
/* EPT identity maps: build from a layout with the largest pages alignment allows, walk, remap (SDM Vol. 3C 29.3). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/vmx/ept.h"

#define ENTRIES         512
#define TOP_LEVEL       4
#define KIND_MIXED      (-1)        /* classify(): the range holds more than one kind */

/*
 * Leaf memory types (29.3, "EPT and Memory Typing"). With "ignore PAT" clear, the EPT type takes the place of
 * the MTRRs and combines with the guest's PAT exactly as the MTRR type would on bare metal (Vol. 3A, "Selecting
 * Memory Types for Pentium Pro and Later"). So RAM is WB and the guest's own PAT choices (UC, WC, WT buffers)
 * still work; MMIO is UC, which no guest PAT type can make cacheable, while a guest that maps a frame buffer
 * WC still gets WC. IPAT would override the guest's choices and is set nowhere.
 */
static u64 leaf_entry(u64 pa, enum ept_kind kind, int level)
{
    u64 type = kind == EPT_WB ? MEMTYPE_WB : MEMTYPE_UC;

    return pa | EPT_RWX | (type << EPT_MEMTYPE_SHIFT) | (level > 1 ? EPT_LARGE_PAGE : 0);
}

static bool is_leaf(u64 entry, int level)
{
    return level == 1 || (entry & EPT_LARGE_PAGE);
}

static bool present(u64 entry)
{
    return entry & EPT_RWX;
}

static bool leaf_allowed(const struct ept *ept, int level)
{
    return level == 1 || (level == 2 && ept->use_2m) || (level == 3 && ept->use_1g);
}

static u64 *table_at(const struct ept *ept, u64 pa)
{
    return ept->mm.phys_to_virt(ept->mm.ctx, pa);
}

/* Entries are written whole and after whatever they point to, for walks on other CPUs running the guest. */
static void set_entry(u64 *slot, u64 value)
{
    __atomic_store_n(slot, value, __ATOMIC_RELEASE);
}

static u64 new_table(struct ept *ept)
{
    u64 pa = ept->mm.alloc_page(ept->mm.ctx);

    if (pa)
        ept->table_pages++;
    return pa;
}

/* ---- the layout, seen page by page ---- */

/* A range rounded to the pages it governs: RAM inward, holes and MMIO outward. Empty when start >= end. */
static struct range pages_of(const struct ept_range *r)
{
    if (r->kind == EPT_WB)
        return (struct range){ ALIGN_UP(r->start, PAGE_SIZE), ALIGN_DOWN(r->end, PAGE_SIZE) };
    return (struct range){ ALIGN_DOWN(r->start, PAGE_SIZE), ALIGN_UP(r->end, PAGE_SIZE) };
}

/* The kind of the page at `pa`. */
static int kind_at(const struct ept_layout *l, u64 pa)
{
    int kind = -1;

    if (pa >= l->limit)
        return EPT_UNMAPPED;
    for (u32 i = 0; i < l->count; i++) {
        struct range p = pages_of(&l->ranges[i]);

        if (p.start <= pa && pa < p.end && (int)l->ranges[i].kind > kind)
            kind = l->ranges[i].kind;
    }
    return kind < 0 ? EPT_UC : kind;
}

static bool changes_at(const struct ept_layout *l, u64 edge, u64 start, u64 end, int kind)
{
    return start < edge && edge < end && kind_at(l, edge) != kind;
}

/* The one kind of every page in [start, end), or KIND_MIXED. The kind can only change at a range edge. */
static int classify(const struct ept_layout *l, u64 start, u64 end)
{
    int kind = kind_at(l, start);

    if (changes_at(l, l->limit, start, end, kind))
        return KIND_MIXED;
    for (u32 i = 0; i < l->count; i++) {
        struct range p = pages_of(&l->ranges[i]);

        if (p.start >= p.end)
            continue;
        if (changes_at(l, p.start, start, end, kind) || changes_at(l, p.end, start, end, kind))
            return KIND_MIXED;
    }
    return kind;
}

/* Fills one table for [base, base + 512 entries); `known` is the kind of all of it, or KIND_MIXED. */
static enum ept_status fill(struct ept *ept, const struct ept_layout *l, u64 *table, int level, u64 base,
                            int known)
{
    u64 size = ept_level_size(level);

    for (u32 i = 0; i < ENTRIES && base + i * size < l->limit; i++) {
        u64 start = base + i * size;
        int kind = known != KIND_MIXED ? known : classify(l, start, start + size);

        if (kind == EPT_UNMAPPED)
            continue;
        if (kind != KIND_MIXED && leaf_allowed(ept, level)) {
            table[i] = leaf_entry(start, kind, level);
            continue;
        }
        u64 child = new_table(ept);
        if (!child)
            return EPT_NO_MEMORY;
        enum ept_status s = fill(ept, l, table_at(ept, child), level - 1, start, kind);
        table[i] = child | EPT_RWX;
        if (s != EPT_OK)
            return s;
    }
    return EPT_OK;
}

enum ept_status ept_build(struct ept *ept, const struct ept_layout *layout, struct ept_mm mm)
{
    *ept = (struct ept){ .mm = mm, .use_2m = layout->use_2m, .use_1g = layout->use_1g };
    if (layout->limit == 0 || layout->limit > EPT_MAX_GPA || layout->limit % PAGE_SIZE)
        return EPT_BAD_LAYOUT;
    for (u32 i = 0; i < layout->count; i++)
        if (layout->ranges[i].end < layout->ranges[i].start || (u32)layout->ranges[i].kind > EPT_UNMAPPED)
            return EPT_BAD_LAYOUT;

    ept->root = new_table(ept);
    if (!ept->root)
        return EPT_NO_MEMORY;
    return fill(ept, layout, table_at(ept, ept->root), TOP_LEVEL, 0, KIND_MIXED);
}

u64 ept_pointer(const struct ept *ept, bool enable_ad)
{
    return ept->root | ((u64)MEMTYPE_WB << EPTP_MEMTYPE_SHIFT) | EPTP_WALK_LENGTH_4 | (enable_ad ? EPTP_AD_ENABLE : 0);
}

static u32 index_of(u64 gpa, int level)
{
    return (gpa / ept_level_size(level)) % ENTRIES;
}

bool ept_lookup(const struct ept *ept, u64 gpa, u64 *entry, int *level)
{
    const u64 *table = table_at(ept, ept->root);

    *entry = 0;
    for (int lv = TOP_LEVEL; lv >= 1; lv--) {
        u64 e = gpa < EPT_MAX_GPA ? table[index_of(gpa, lv)] : 0;

        *level = lv;
        if (!present(e))
            return false;
        if (is_leaf(e, lv)) {
            *entry = e;
            return true;
        }
        table = table_at(ept, e & EPT_ADDR_MASK);
    }
    return false;
}

/* A table one level down that maps exactly what the large page `entry` mapped. */
static u64 split(struct ept *ept, u64 entry, int level)
{
    u64 child = new_table(ept);
    u64 size = ept_level_size(level - 1);
    u64 keep = entry & ~(EPT_ADDR_MASK | EPT_LARGE_PAGE);

    if (!child)
        return 0;
    u64 *t = table_at(ept, child);
    for (u32 i = 0; i < ENTRIES; i++)
        t[i] = ((entry & EPT_ADDR_MASK) + i * size) | keep | (level - 1 > 1 ? EPT_LARGE_PAGE : 0);
    return child;
}

static enum ept_status set(struct ept *ept, u64 *table, int level, u64 base, u64 start, u64 end,
                           enum ept_kind kind)
{
    u64 size = ept_level_size(level);

    for (u32 i = index_of(MAX(start, base), level); i < ENTRIES && base + i * size < end; i++) {
        u64 lo = base + i * size, e = table[i];
        bool covered = start <= lo && lo + size <= end;
        bool has_table = present(e) && !is_leaf(e, level);

        if (!present(e) && kind == EPT_UNMAPPED)
            continue;
        if (covered && !has_table && (kind == EPT_UNMAPPED || leaf_allowed(ept, level))) {
            set_entry(&table[i], kind == EPT_UNMAPPED ? 0 : leaf_entry(lo, kind, level));
            continue;
        }
        if (!has_table) {
            u64 child = present(e) ? split(ept, e, level) : new_table(ept);
            if (!child)
                return EPT_NO_MEMORY;
            set_entry(&table[i], child | EPT_RWX);
        }
        enum ept_status s = set(ept, table_at(ept, table[i] & EPT_ADDR_MASK), level - 1, lo, start, end, kind);
        if (s != EPT_OK)
            return s;
    }
    return EPT_OK;
}

enum ept_status ept_set_range(struct ept *ept, u64 start, u64 end, enum ept_kind kind)
{
    if (start % PAGE_SIZE || end % PAGE_SIZE || end < start || end > EPT_MAX_GPA || (u32)kind > EPT_UNMAPPED)
        return EPT_BAD_LAYOUT;
    if (start == end)
        return EPT_OK;
    return set(ept, table_at(ept, ept->root), TOP_LEVEL, 0, start, end, kind);
}

const char *ept_status_name(enum ept_status s)
{
    switch (s) {
    case EPT_OK:
        return "ok";
    case EPT_NO_MEMORY:
        return "out of memory for EPT tables";
    case EPT_BAD_LAYOUT:
        return "bad EPT layout or range";
    }
    return "unknown";
}
