/* SPDX-License-Identifier: BSD-2-Clause */
/* The decoder's ALU forms: OR, AND, CMP and TEST with a memory operand, by register or immediate. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/insn_encoding.h"

/* The ALU opcodes with a fixed operation (SDM Vol. 2 OR, AND, CMP, TEST; Vol. 2D Table A-6). */
enum alu_opcode {
    OP_TEST_RM8_R8 = 0x84,      /* TEST r/m8, r8 */
    OP_TEST_RM_R = 0x85,        /* TEST r/m, r */
    OP_GROUP1_RM8_IMM8 = 0x80,  /* ALU r/m8, imm8, the operation in ModRM.reg */
    OP_GROUP1_RM_IMM = 0x81,    /* ALU r/m, imm16/imm32 */
    OP_GROUP1_RM_IMM8 = 0x83,   /* ALU r/m, imm8 sign-extended */
    OP_GROUP3_RM8 = 0xF6,       /* /0: TEST r/m8, imm8 */
    OP_GROUP3_RM = 0xF7,        /* /0: TEST r/m, imm16/imm32 */
};

/*
 * The one-byte ALU rows 00-3F: bits 5:3 name the operation with the same numbers ModRM.reg gives group 1 (80-83),
 * bit 1 says the register is the first operand, bit 0 a full-size operand (Vol. 2D Tables ).
 */
#define ALU_ROW_LAST    0x3F
#define ALU_ROW(op)     (((op) >> 3) & 7)
#define ALU_COLUMN(op)  ((op) & 7)
#define ALU_COLUMN_LAST_MODRM 3     /* columns 0-3 take ModRM; 4-5 are AL/eAX, imm; 6-7 other instructions */
#define ALU_REG_FIRST   BIT(1)
#define ALU_FULL_SIZE   BIT(0)
enum alu_number { ALU_NUMBER_OR = 1, ALU_NUMBER_AND = 4, ALU_NUMBER_CMP = 7 };
#define MODRM_REG_TEST_IMM 0        /* F6/F7 /0 is TEST r/m, imm */

/* OR, AND and CMP by their operation number; false for ADD, ADC, SBB, SUB, XOR, which are not emulated. */
static bool alu_from_number(unsigned number, enum insn_alu *alu)
{
    switch (number) {
    case ALU_NUMBER_OR: *alu = ALU_OR; return true;
    case ALU_NUMBER_AND: *alu = ALU_AND; return true;
    case ALU_NUMBER_CMP: *alu = ALU_CMP; return true;
    default: return false;
    }
}

/*
 * An ALU instruction with a memory operand. `imm_bytes` 0: the second operand is ModRM.reg; otherwise an immediate
 * of that many bytes follows and ModRM.reg, the operation, must be `group_reg` (ignored when negative).
 * LOCK only where memory is the destination of OR/AND (#UD elsewhere, LOCK page); REP/REPNE, which would be HLE
 * hints here, are refused.
 */
static enum insn_status alu_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p,
                                 enum insn_alu alu, bool mem_first, unsigned size, unsigned imm_bytes,
                                 struct insn *out)
{
    bool lockable = mem_first && (alu == ALU_OR || alu == ALU_AND);
    u8 modrm;
    enum insn_status s;

    if ((p->lock && !lockable) || p->rep || p->repne)
        return INSN_BAD_PREFIX;
    s = insn_take_byte(c, &modrm);
    if (s == INSN_OK)
        s = insn_skip_memory_operand(c, modrm, insn_address_size(mode, p), mode, out);
    if (s == INSN_OK && imm_bytes)
        s = insn_take(c, imm_bytes, &out->imm);
    if (s != INSN_OK)
        return s;
    out->kind = INSN_ALU;
    out->alu = alu;
    out->mem_first = mem_first;
    out->imm_source = imm_bytes != 0;
    out->size = out->dst_size = (u8)size;
    if (!imm_bytes)
        insn_set_register(out, modrm, p, size);
    return INSN_OK;
}

/* Group 1 (80, 81, 83 /op) and group 3 (F6, F7 /0 TEST): the operation is in ModRM.reg, read before the rest. */
static enum insn_status alu_imm_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p, u8 op,
                                     struct insn *out)
{
    unsigned osize = insn_operand_size(mode, p);
    bool byte = op == OP_GROUP1_RM8_IMM8 || op == OP_GROUP3_RM8;
    unsigned size = byte ? 1 : osize;
    unsigned imm_bytes = byte || op == OP_GROUP1_RM_IMM8 ? 1 : osize == 8 ? 4 : osize;
    enum insn_alu alu;
    enum insn_status s = insn_need(c, 1);
    if (s != INSN_OK)
        return s;
    unsigned reg = MODRM_REG(c->bytes[c->pos]);
    if (op == OP_GROUP3_RM8 || op == OP_GROUP3_RM) {
        if (reg != MODRM_REG_TEST_IMM)
            return INSN_UNKNOWN_OPCODE;
        alu = ALU_TEST;
    } else if (!alu_from_number(reg, &alu)) {
        return INSN_UNKNOWN_OPCODE;
    }
    return alu_form(c, mode, p, alu, true, size, imm_bytes, out);
}

enum insn_status insn_decode_alu(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p, u8 op,
                                 struct insn *out)
{
    unsigned osize = insn_operand_size(mode, p);
    enum insn_alu alu;

    switch (op) {
    case OP_TEST_RM8_R8: return alu_form(c, mode, p, ALU_TEST, true, 1, 0, out);
    case OP_TEST_RM_R: return alu_form(c, mode, p, ALU_TEST, true, osize, 0, out);
    case OP_GROUP1_RM8_IMM8: case OP_GROUP1_RM_IMM: case OP_GROUP1_RM_IMM8:
    case OP_GROUP3_RM8: case OP_GROUP3_RM:
        return alu_imm_form(c, mode, p, op, out);
    default:
        break;
    }
    if (op <= ALU_ROW_LAST && ALU_COLUMN(op) <= ALU_COLUMN_LAST_MODRM && alu_from_number(ALU_ROW(op), &alu))
        return alu_form(c, mode, p, alu, !(op & ALU_REG_FIRST), op & ALU_FULL_SIZE ? osize : 1, 0, out);
    return INSN_UNKNOWN_OPCODE;
}
