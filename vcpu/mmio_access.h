/* SPDX-License-Identifier: BSD-2-Clause */
/* A decoded instruction's access to device memory: the bus access and what it does to the register operand. */
#ifndef VCPU_MMIO_ACCESS_H
#define VCPU_MMIO_ACCESS_H

#include "devices/mmiobus.h"
#include "vcpu/insn_decode.h"

/*
 * Runs `in` (decoded from the instruction that faulted on `gpa`) against the bus: a load reads the device and
 * merges the value into *reg as the instruction writes its register (gpr_merge; AH-BH are bits 15:8; MOVZX and
 * MOVSX extend to their destination size); a store writes the register's low bytes or the immediate; XCHG does
 * both; OR, AND, CMP and TEST read the device once, set the status flags in *rflags, and OR and AND write their
 * result to their first operand. *reg is the full 64-bit value of in->reg before and after. A read of nothing gives all ones and a write
 * to nothing is dropped (MMIOBUS_UNCLAIMED, returned for the caller to log); an access that straddles a device's
 * edge touches no device and leaves *reg alone (MMIOBUS_STRADDLE: the caller stops the VM).
 */
enum mmiobus_status mmio_access_run(const struct insn *in, u64 gpa, const struct mmiobus *bus, u64 *reg, u64 *rflags);

#endif
