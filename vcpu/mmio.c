/* SPDX-License-Identifier: BSD-2-Clause */
/* MMIO trap-and-emulate: an EPT violation in a device's page runs the faulting instruction against the device. */
#include "kernel/string.h"
#include "kernel/x86_regs.h"
#include "vcpu/guest_linear.h"
#include "vcpu/guest_mode.h"
#include "vcpu/mmio.h"
#include "vcpu/mmio_access.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"

/* "8b8700030000": the bytes for a one-word field of the stop report. */
static void hex_bytes(char *buf, const u8 *bytes, unsigned count)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < count; i++) {
        *buf++ = digits[bytes[i] >> 4];
        *buf++ = digits[bytes[i] & 15];
    }
    *buf = '\0';
}

/*
 * The instruction at the guest's CS:RIP, decoded: its bytes up to the end of their page, and from the next page
 * only if the decoder needs more (the next page may not be mapped: a short instruction must not fault on it).
 * The bytes are read as data through the guest's page tables (an execute-disable page is not checked: the
 * guest did execute the instruction), through a memo of the last code page's walk: a driver's accessors sit in
 * a few pages, and the memo is checked entry by entry, so a guest's page-table change is always seen. The decode
 * is remembered as well, for the same bytes.
 */
static enum vmexit_action fetch_and_decode(struct vcpu *v, u64 gpa, struct insn *in)
{
    u8 bytes[INSN_MAX_LEN];
    unsigned have = 0;
    struct guest_paging p = guest_paging_now();
    u32 cs_ar = vmcs_read32(GUEST_CS_AR);       /* read once: the mode tests below would read it and EFER again */
    bool long_mode = (p.efer & EFER_LMA) && (cs_ar & AR_L);
    u64 rip = vmcs_read_natural(GUEST_RIP);
    u64 linear = long_mode ? rip : (vmcs_read_natural(GUEST_CS_BASE) + rip) & 0xFFFFFFFF;
    enum insn_mode mode = long_mode ? INSN_MODE_64 : cs_ar & AR_DB ? INSN_MODE_32 : INSN_MODE_16;
    enum insn_status st = INSN_TRUNCATED;

    while (st == INSN_TRUNCATED && have < INSN_MAX_LEN) {
        u64 at = long_mode ? linear + have : (linear + have) & 0xFFFFFFFF, at_gpa;
        unsigned chunk = (unsigned)MIN(INSN_MAX_LEN - have, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
        enum gpa_refusal why;
        enum vmexit_action a = guest_translate_memo(v, &v->code_memo, &p, at, false, &at_gpa, "mmio-fetch");
        if (a != VMEXIT_ADVANCE)
            return a;
        const u8 *src = guest_ptr(v->vm, at_gpa, chunk, &why);
        if (!src)
            return vcpu_stop(v, "mmio-fetch", "gpa=%llx rip=%llx code=%llx memory=%s", (unsigned long long)gpa,
                             (unsigned long long)rip, (unsigned long long)at_gpa, gpa_refusal_name(why));
        memcpy(bytes + have, src, chunk);
        have += chunk;
        st = insn_decode_memo(&v->insn_memo, bytes, have, mode, in);
    }
    if (st != INSN_OK) {
        char hex[2 * INSN_MAX_LEN + 1];
        hex_bytes(hex, bytes, have);
        return vcpu_stop(v, "mmio-instruction", "gpa=%llx rip=%llx bytes=%s why=\"%s\"", (unsigned long long)gpa,
                         (unsigned long long)rip, hex, insn_status_name(st));
    }
    return VMEXIT_ADVANCE;
}

enum vmexit_action mmio_emulate(struct vcpu *v, u64 gpa)
{
    struct insn in;
    enum vmexit_action a = fetch_and_decode(v, gpa, &in);
    if (a != VMEXIT_ADVANCE)
        return a;
    bool alu = in.kind == INSN_ALU;
    bool reads_reg = in.kind != INSN_STORE_IMM && !(alu && in.mem_first && in.imm_source);
    u64 reg = reads_reg ? vcpu_gpr(v, in.reg) : 0, old_reg = reg;
    u64 rflags = alu ? vmcs_read_natural(GUEST_RFLAGS) : 0, old_rflags = rflags;
    enum mmiobus_status st = mmio_access_run(&in, gpa, apic_mmio_bus(v, gpa), &reg, &rflags);
    if (st != MMIOBUS_OK && st != MMIOBUS_UNCLAIMED)
        return vcpu_stop(v, "mmio-access", "gpa=%llx size=%u why=%s", (unsigned long long)gpa, in.size,
                         mmiobus_status_name(st));
    if (reads_reg && reg != old_reg)
        vcpu_set_gpr(v, in.reg, reg, 8);       /* mmio_access_run merged it as the instruction writes it */
    if (rflags != old_rflags)
        vmcs_write_natural(GUEST_RFLAGS, rflags);
    /* VM_EXIT_INSTRUCTION_LEN is undefined for EPT violations (SDM Vol. 3C 28.2.5): the decoder's length. */
    vmcs_advance_guest_rip(in.len);
    v->rip_advanced = true;
    return VMEXIT_RESUME;
}
