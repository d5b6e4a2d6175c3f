/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O exits: IN/OUT of 1, 2, 4 bytes and INS/OUTS with or without REP, through the VM's port bus. */
#include "vcpu/exit_decode.h"
#include "vcpu/exit_fast.h"
#include "kernel/x86_regs.h"
#include "vcpu/exits.h"
#include "vcpu/gpr.h"
#include "vcpu/guest_mode.h"
#include "vcpu/guest_linear.h"
#include "vcpu/report.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_cpu.h"

#define STRING_BURST    256ULL     /* elements per exit: a long REP re-executes, keeping exits short */

/* One element's bytes in guest memory; each byte translated, so elements may straddle pages. */
static enum vmexit_action element_bytes(struct vcpu *v, const struct guest_paging *p, u64 linear, unsigned size,
                                        bool write, u8 *byte[4])
{
    for (unsigned i = 0; i < size; i++) {
        u64 gpa;
        enum gpa_refusal why;
        enum vmexit_action a = guest_translate(v, p, linear + i, write, &gpa, "string-io-address");
        if (a != VMEXIT_ADVANCE)
            return a;
        byte[i] = guest_ptr(v->vm, gpa, 1, &why);
        if (!byte[i])
            return vcpu_stop(v, "string-io-address", "linear=%llx gpa=%llx memory=%s",
                             (unsigned long long)(linear + i), (unsigned long long)gpa, gpa_refusal_name(why));
    }
    return VMEXIT_ADVANCE;
}

static enum vmexit_action string_io(struct vcpu *v, const struct io_exit *io)
{
    /* Without the CPU's word on the address size (no INS/OUTS information), the code segment's default. */
    u8 asz = io->addr_known ? io->addr_size : (u8)guest_default_address_size();
    u64 mask = asz == 8 ? ~0ULL : asz == 4 ? 0xFFFFFFFFULL : 0xFFFF;
    enum gpr index = io->in ? RDI : RSI;
    u64 count = io->rep ? v->gpr[RCX] & mask : 1;
    u64 burst = MIN(count, STRING_BURST);
    bool long_mode = guest_in_64bit_code();
    enum seg_reg seg = io->in ? SEG_ES : io->segment;
    /* In 64-bit mode only FS and GS have bases (SDM Vol. 3A 3.4.4). */
    u64 base = long_mode && seg != SEG_FS && seg != SEG_GS ? 0 : vmcs_read_natural(GUEST_ES_BASE + 2 * seg);
    s64 step = vmcs_read_natural(GUEST_RFLAGS) & RFLAGS_DF ? -(s64)io->size : io->size;
    struct guest_paging p = guest_paging_now();

    for (u64 n = 0; n < burst; n++) {
        u64 offset = v->gpr[index] & mask;
        u8 *byte[4];
        enum vmexit_action a = element_bytes(v, &p, base + offset, io->size, io->in, byte);
        if (a != VMEXIT_ADVANCE)
            return a;
        if (io->in) {
            u32 value = iobus_in(&v->vm->bus, io->port, io->size);
            for (unsigned i = 0; i < io->size; i++)
                *byte[i] = (u8)(value >> (8 * i));
        } else {
            u32 value = 0;
            for (unsigned i = 0; i < io->size; i++)
                value |= (u32)*byte[i] << (8 * i);
            iobus_out(&v->vm->bus, io->port, io->size, value);
        }
        v->gpr[index] = (v->gpr[index] & ~mask) | ((offset + step) & mask);
        if (io->rep)
            v->gpr[RCX] = (v->gpr[RCX] & ~mask) | ((count - n - 1) & mask);
    }
    /* A REP with elements left is re-executed: the guest may take interrupts in between, as on hardware. */
    return count > burst ? VMEXIT_RESUME : VMEXIT_ADVANCE;
}

/* Everything but a claimed byte IN/OUT: wider IN/OUT, unclaimed ports, INS/OUTS, undefined size codes. */
static __attribute__((noinline)) enum vmexit_action exit_io_other(struct vcpu *v, u64 q)
{
    unsigned size = exit_io_size(q);
    bool string = q & IO_QUAL_STRING;
    if (!string && size) {
        /* IN merges into RAX by size (vcpu/gpr.h). */
        u16 port = (u16)(q >> IO_QUAL_PORT_SHIFT);
        if (q & IO_QUAL_IN)
            v->gpr[RAX] = gpr_merge(v->gpr[RAX], iobus_in(&v->vm->bus, port, size), size);
        else
            iobus_out(&v->vm->bus, port, size, (u32)v->gpr[RAX]);
        return VMEXIT_ADVANCE;
    }
    struct io_exit io;
    if (!exit_decode_io(q, string ? vmcs_read32(VM_EXIT_INSTRUCTION_INFO) : 0,
                        string && vmx_basic_has_ins_outs_info(vmx_caps.basic), &io))
        return vcpu_stop(v, "io-decode", "qualification=%llx", (unsigned long long)q);
    return string_io(v, &io);
}

/* The common case, a byte IN/OUT to a device's port, goes from the qualification straight to region r. */
static inline __attribute__((always_inline)) void io_byte(struct vcpu *v, u64 q, const struct io_region *r, u16 off)
{
    if (q & IO_QUAL_IN) {
        u8 value = (u8)r->read(r->dev, off, 1);     /* then RAX: only v lives across the call */
        v->gpr[RAX] = (v->gpr[RAX] & ~0xFFULL) | value;
    } else {
        r->write(r->dev, off, 1, (u8)v->gpr[RAX]);
    }
}

enum vmexit_action exit_io(struct vcpu *v)
{
    u64 q = vmcs_read_natural(EXIT_QUALIFICATION);
    u16 off;
    const struct io_region *r;
    if ((q & (IO_QUAL_STRING | IO_QUAL_SIZE)) ||
        !(r = iobus_route(&v->vm->bus, (u16)(q >> IO_QUAL_PORT_SHIFT), 1, &off)))
        return exit_io_other(v, q);
    io_byte(v, q, r, off);
    return VMEXIT_ADVANCE;
}

/*
 * Reads only RAX of the guest's registers: the exit stub has not saved RBX and R12-R15 (vcpu/vmx/vmx_entry.S).
 * Only ports in the bus's ISA map: the others are found by a scan, and wait for the run loop.
 */
int vcpu_fast_io(struct vcpu *v)
{
    u64 q = vmcs_read_natural(EXIT_QUALIFICATION);
    u16 port = (u16)(q >> IO_QUAL_PORT_SHIFT);
    const struct io_region *r;
    if ((q & (IO_QUAL_STRING | IO_QUAL_SIZE)) || port >= IOBUS_ISA_PORTS ||
        !(r = iobus_isa_region(&v->vm->bus, port)))
        return FAST_DECLINED;
    io_byte(v, q, r, (u16)(port - r->first));
    v->exits[EXIT_REASON_IO_INSTRUCTION]++;
    vmcs_skip_guest_instruction();
    return fast_exit_finish(v, true);
}
