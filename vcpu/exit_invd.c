/* SPDX-License-Identifier: BSD-2-Clause */
/* INVD: done as WBINVD, since invalidating without write-back would drop the hypervisor's own dirty lines. */
#include "kernel/x86.h"
#include "vcpu/exits.h"

/*
 * INVD exits unconditionally (SDM Vol. 3C 26.1.2); its CPL check comes first, so this is CPL 0. The caches
 * are shared with the hypervisor, whose modified lines an INVD would throw away. After WBINVD the guest finds
 * its data in memory, as if the lines had been written back before its INVD: what KVM does too.
 */
enum vmexit_action exit_invd(struct vcpu *v)
{
    (void)v;
    wbinvd();
    return VMEXIT_ADVANCE;
}
