/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest linear addresses through the guest's own page tables, for what the hypervisor reads or writes for it. */
#include "kernel/assert.h"
#include "kernel/x86_regs.h"
#include "vcpu/guest_linear.h"
#include "vcpu/guest_mode.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

#define PF_PRESENT      BIT(0)
#define PF_WRITE        BIT(1)
#define PF_USER         BIT(2)

/* The page walk's view of guest memory; the first refusal is kept for the report. */
struct walk_memory {
    struct vm *vm;
    enum gpa_refusal why;
    u64 refused_gpa;
};

static bool read_guest_ram(void *ctx, u64 gpa, u64 *value)
{
    struct walk_memory *m = ctx;
    enum gpa_refusal why;
    const u64 *entry = guest_ptr(m->vm, gpa, sizeof *entry, &why);
    if (!entry) {
        m->why = why;
        m->refused_gpa = gpa;
        return false;
    }
    *value = __atomic_load_n(entry, __ATOMIC_RELAXED);
    return true;
}

/*
 * Sets accessed/dirty bits in a guest paging entry, atomically: other vCPUs may walk the same tables. The walk
 * read this entry through read_guest_ram a moment ago, so the accessor cannot refuse it now.
 */
static void mark_entry(void *ctx, u64 gpa, bool entry32, u64 bits)
{
    struct walk_memory *m = ctx;
    void *entry = guest_ptr(m->vm, gpa, entry32 ? sizeof(u32) : sizeof(u64), NULL);
    ASSERT(entry);
    if (entry32)
        __atomic_fetch_or((u32 *)entry, (u32)bits, __ATOMIC_RELAXED);
    else
        __atomic_fetch_or((u64 *)entry, bits, __ATOMIC_RELAXED);
}

struct guest_paging guest_paging_now(void)
{
    struct guest_paging p = {
        .cr0 = vmcs_read_natural(GUEST_CR0), .cr3 = vmcs_read_natural(GUEST_CR3),
        .cr4 = vmcs_read_natural(GUEST_CR4), .efer = vmcs_read64(GUEST_IA32_EFER),
        .user = guest_cpl() == 3,
        .mark = mark_entry,
    };
    /* The PDPTEs the CPU loaded matter only to PAE paging outside long mode: read only then. */
    if ((p.cr0 & CR0_PG) && (p.cr4 & CR4_PAE) && !(p.efer & EFER_LMA)) {
        p.pdpte[0] = vmcs_read64(GUEST_PDPTE0);
        p.pdpte[1] = vmcs_read64(GUEST_PDPTE1);
        p.pdpte[2] = vmcs_read64(GUEST_PDPTE2);
        p.pdpte[3] = vmcs_read64(GUEST_PDPTE3);
    }
    return p;
}

/*
 * A paging entry the walk read before through read_guest_ram, read again for a walk memo: guest RAM stays guest
 * RAM for the VM's life (the memory map and the hypervisor's block are fixed when it is built), so the range
 * check is not repeated.
 */
static bool reread_guest_ram(void *ctx, u64 gpa, u64 *value)
{
    (void)ctx;
    *value = __atomic_load_n((const u64 *)(uintptr_t)gpa, __ATOMIC_RELAXED);     /* identity map, as guest_ptr */
    return true;
}

/* A walk's outcome for the guest: #PF injected, the VM stopped, or VMEXIT_ADVANCE with the address. */
static enum vmexit_action walk_outcome(struct vcpu *v, const struct guest_paging *p, u64 linear, bool write,
                                       enum walk_result w, const struct walk_memory *m, const char *reason)
{
    if (w == WALK_NOT_PRESENT || w == WALK_PROTECTION) {
        __asm__ volatile("mov %0, %%cr2" :: "r"(linear));     /* the host never faults: CR2 is the guest's */
        vcpu_inject_exception(v, VECTOR_PF, true, (w == WALK_PROTECTION ? PF_PRESENT : 0) |
                                                  (write ? PF_WRITE : 0) | (p->user ? PF_USER : 0));
        return VMEXIT_RESUME;
    }
    if (w != WALK_OK)       /* a paging structure the hypervisor may not read (or 5-level paging) */
        return vcpu_stop(v, reason, "linear=%llx table=%llx memory=%s", (unsigned long long)linear,
                         (unsigned long long)m->refused_gpa,
                         m->why == GPA_OK ? "unsupported-paging" : gpa_refusal_name(m->why));
    return VMEXIT_ADVANCE;
}

enum vmexit_action guest_translate(struct vcpu *v, const struct guest_paging *p, u64 linear, bool write, u64 *gpa,
                                   const char *reason)
{
    struct walk_memory m = { v->vm, GPA_OK, 0 };
    return walk_outcome(v, p, linear, write, guest_walk(p, linear, write, read_guest_ram, &m, gpa), &m, reason);
}

enum vmexit_action guest_translate_memo(struct vcpu *v, struct walk_memo *memo, const struct guest_paging *p,
                                        u64 linear, bool write, u64 *gpa, const char *reason)
{
    struct walk_memory m = { v->vm, GPA_OK, 0 };
    enum walk_result w = guest_walk_memo(memo, p, linear, write, read_guest_ram, reread_guest_ram, &m, gpa);
    return walk_outcome(v, p, linear, write, w, &m, reason);
}
