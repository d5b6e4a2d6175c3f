/* SPDX-License-Identifier: BSD-2-Clause */
/* Port I/O on the exit fast path: called by the exit stub with the guest's caller-saved registers saved. */
#include "vcpu/exit_decode.h"
#include "vcpu/exit_fast.h"
#include "vcpu/vm.h"
#include "vcpu/vmcs.h"
#include "vcpu/vmx_asm.h"

/*
 * Whether the run loop has work before the next entry after a port access: the VM stops (the debug-exit
 * port), or on vCPU 0, which runs the devices, a deadline moved or the PIC wants the CPU. Other vCPUs learn of
 * device changes through the wake IPI the platform sends them (vcpu/platform.c).
 */
static bool run_loop_needed(const struct vcpu *v)
{
    const struct vm *vm = v->vm;
    if (__atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE))
        return true;
    if (v->index != 0)
        return false;
    const struct platform *d = &vm->dev;
    return __atomic_load_n(&d->uart_dirty, __ATOMIC_RELAXED) || __atomic_load_n(&d->rtc_dirty, __ATOMIC_RELAXED) ||
           pic_has_interrupt((struct pic *)&d->pic);
}

/*
 * IN and OUT of 1, 2 or 4 bytes that one device takes whole, exactly as exit_io does them: the handler, RAX
 * merged by the operand size, RIP past the instruction, the exit counted. String forms, split accesses and
 * unclaimed ports are declined and take the full path. Five VMCS accesses in all, with the stub's reason read.
 */
int vcpu_fast_io(struct vcpu *v)
{
    u64 q = vmcs_read_natural(EXIT_QUALIFICATION);
    unsigned size = exit_io_size(q);
    u16 offset;
    const struct io_region *r;
    if ((q & IO_QUAL_STRING) || !size ||
        !(r = iobus_route(&v->vm->bus, (u16)(q >> IO_QUAL_PORT_SHIFT), size, &offset)))
        return FAST_DECLINED;
    u32 mask = iobus_size_mask(size);
    if (q & IO_QUAL_IN) {
        /* gpr_merge without its switch: 1 and 2 bytes merge into RAX, 4 zero-extend. */
        u64 keep = size == 4 ? 0 : ~(u64)mask;
        v->gpr[RAX] = (v->gpr[RAX] & keep) | (r->read(r->dev, offset, size) & mask);
    } else {
        r->write(r->dev, offset, size, (u32)v->gpr[RAX] & mask);
    }
    v->exits[EXIT_REASON_IO_INSTRUCTION]++;
    vmcs_write_natural(GUEST_RIP, vmcs_read_natural(GUEST_RIP) + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
    return run_loop_needed(v) ? FAST_HANDLED : FAST_RESUME;
}
