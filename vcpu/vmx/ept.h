/* SPDX-License-Identifier: BSD-2-Clause */
/* EPT identity maps of guest-physical memory: build from a memory layout, look up, remap (SDM Vol. 3C 29.3). */
#ifndef VCPU_VMX_EPT_H
#define VCPU_VMX_EPT_H

#include "kernel/types.h"
#include "vcpu/vmx/vmx_defs.h"

/*
 * What a guest-physical range becomes. Where ranges overlap, the larger value wins: a hole beats MMIO beats
 * RAM, so neither hypervisor memory nor a device register is ever exposed as cacheable RAM by mistake.
 */
enum ept_kind {
    EPT_WB = 0,         /* RAM: write-back */
    EPT_UC = 1,         /* MMIO, firmware and everything unnamed: uncacheable */
    EPT_UNMAPPED = 2,   /* not mapped: the hypervisor's own memory */
};

/* One range of the layout, half-open, any alignment. */
struct ept_range {
    u64 start, end;
    enum ept_kind kind;
};

/*
 * The guest-physical address space to map, identity, in 4 KiB pages. A page takes the strongest kind of any
 * byte in it, so RAM shrinks to whole pages and holes and MMIO grow to whole pages. Pages below `limit` that
 * no range names are mapped UC (PCI BARs and the like are not in the firmware's map); nothing at or above
 * `limit` is mapped. Large pages are used where the CPU allows them (IA32_VMX_EPT_VPID_CAP bits 16, 17).
 */
struct ept_layout {
    const struct ept_range *ranges;
    u32 count;
    u64 limit;          /* page-aligned, at most EPT_MAX_GPA; e.g. max(top of RAM, 4 GiB) */
    bool use_2m, use_1g;
};

#define EPT_MAX_GPA     BIT(48)     /* what a 4-level walk covers */

/* Where paging-structure pages come from: zeroed 4 KiB pages by physical address (0 = out of memory). */
struct ept_mm {
    u64 (*alloc_page)(void *ctx);
    void *(*phys_to_virt)(void *ctx, u64 pa);
    void *ctx;
};

struct ept {
    struct ept_mm mm;
    u64 root;           /* physical address of the PML4 */
    u64 table_pages;    /* paging-structure pages in use, the PML4 included */
    bool use_2m, use_1g;
};

enum ept_status { EPT_OK, EPT_NO_MEMORY, EPT_BAD_LAYOUT };

const char *ept_status_name(enum ept_status s);

/*
 * Builds the map. On EPT_NO_MEMORY the pages taken so far stay allocated and the map is unusable: at boot the
 * caller reports and stops. EPT_BAD_LAYOUT: a range with end < start, or a limit that is unaligned, 0, or
 * above EPT_MAX_GPA.
 */
__attribute__((warn_unused_result))
enum ept_status ept_build(struct ept *ept, const struct ept_layout *layout, struct ept_mm mm);

/* The EPTP for this map (25.6.11): WB paging-structure accesses, 4-level walk, A/D flags if asked. */
u64 ept_pointer(const struct ept *ept, bool enable_ad);

/*
 * Changing the map after ept_build: ept_lookup and ept_set_range. Nothing in the image calls them yet (the link
 * drops them); they stay because the next step needs them: trap-and-emulate of the local APIC and I/O APIC
 * pages (DESIGN.md "The guest's platform") takes a device page out of the guest's map so that its accesses exit.
 */

/*
 * Walks the map for `gpa`. Returns true with the leaf entry and its level (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB)
 * when mapped; false with *entry = 0 and the level whose entry was not present otherwise.
 */
bool ept_lookup(const struct ept *ept, u64 gpa, u64 *entry, int *level);

/* Bytes one entry maps at `level` (1..4). */
static inline u64 ept_level_size(int level) { return PAGE_SIZE << (9 * (level - 1)); }

/* The kind a present leaf entry maps (its memory type). */
static inline enum ept_kind ept_leaf_kind(u64 entry)
{
    return ((entry & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT) == MEMTYPE_WB ? EPT_WB : EPT_UC;
}

/*
 * Maps [start, end) (page-aligned) as `kind`, or unmaps it, splitting large pages on its edges. New tables
 * are filled before they are linked in, so a concurrent walk sees the old or the new mapping, never a hole.
 * Tables are not merged back and tables emptied by an unmap stay. The caller runs INVEPT (single-context with
 * ept_pointer(), on every CPU that uses this map) before relying on the change, and stops on EPT_NO_MEMORY:
 * the range may then be partly changed.
 */
__attribute__((warn_unused_result))
enum ept_status ept_set_range(struct ept *ept, u64 start, u64 end, enum ept_kind kind);

#endif
