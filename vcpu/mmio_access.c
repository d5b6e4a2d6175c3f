/* SPDX-License-Identifier: BSD-2-Clause */
/* One emulated MMIO instruction: the device access on the bus and the register operand's new value. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/gpr.h"
#include "vcpu/insn_alu.h"
#include "vcpu/mmio_access.h"

/* The register operand's value as the instruction reads it: AH-BH are bits 15:8 of RAX-RBX. */
static u64 operand_of(const struct insn *in, u64 reg)
{
    return in->high_byte ? (reg >> 8) & 0xFF : reg;
}

/* *reg after the instruction writes `value` of `size` bytes into its register operand. */
static u64 with_operand(const struct insn *in, u64 reg, u64 value, unsigned size)
{
    if (in->high_byte)
        return (reg & ~0xFF00ULL) | (value & 0xFF) << 8;
    return gpr_merge(reg, value, size);
}

static u64 sign_extend(u64 value, unsigned size)
{
    unsigned shift = 64 - 8 * size;
    return (u64)((s64)(value << shift) >> shift);
}

/* The device's answer, or all ones from nothing (what a read of an unclaimed address gives on a PC). */
static u64 bus_read(const struct mmio_region *r, u64 offset, unsigned size)
{
    return (r ? r->read(r->dev, offset, size) : ~0ULL) & mmio_size_mask(size);
}

/* A write to nothing is dropped. */
static void bus_write(const struct mmio_region *r, u64 offset, unsigned size, u64 value)
{
    if (r)
        r->write(r->dev, offset, size, value & mmio_size_mask(size));
}

enum mmiobus_status mmio_access_run(const struct insn *in, u64 gpa, const struct mmiobus *bus, u64 *reg, u64 *rflags)
{
    const struct mmio_region *r = NULL;
    u64 offset = 0, value;
    enum mmiobus_status st = mmiobus_find(bus, gpa, in->size, &r, &offset);
    if (st != MMIOBUS_OK && st != MMIOBUS_UNCLAIMED)
        return st;
    if (st == MMIOBUS_UNCLAIMED)
        r = NULL;
    switch (in->kind) {
    case INSN_LOAD:
    case INSN_LOAD_ZX:
        *reg = with_operand(in, *reg, bus_read(r, offset, in->size), in->dst_size);
        break;
    case INSN_LOAD_SX:
        *reg = with_operand(in, *reg, sign_extend(bus_read(r, offset, in->size), in->size), in->dst_size);
        break;
    case INSN_STORE:
        bus_write(r, offset, in->size, operand_of(in, *reg));
        break;
    case INSN_STORE_IMM:
        bus_write(r, offset, in->size, in->imm);
        break;
    case INSN_XCHG:
        value = bus_read(r, offset, in->size);
        bus_write(r, offset, in->size, operand_of(in, *reg));
        *reg = with_operand(in, *reg, value, in->size);
        break;
    case INSN_ALU: {
        /* One read of the device; OR and AND write the result back to whichever operand comes first. */
        u64 mem = bus_read(r, offset, in->size);
        u64 other = in->imm_source ? in->imm : operand_of(in, *reg);
        u64 result = in->mem_first ? insn_alu_apply(in->alu, mem, other, in->size, rflags)
                                   : insn_alu_apply(in->alu, operand_of(in, *reg), mem, in->size, rflags);
        if (insn_alu_writes(in->alu)) {
            if (in->mem_first)
                bus_write(r, offset, in->size, result);
            else
                *reg = with_operand(in, *reg, result, in->size);
        }
        break;
    }
    }
    return st;
}
