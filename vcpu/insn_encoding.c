/* SPDX-License-Identifier: BSD-2-Clause */
/* The decoder's encoding steps: legacy and REX prefixes, the ModRM/SIB/displacement forms, register naming. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/insn_encoding.h"

/* Legacy prefixes (SDM Vol. 2A 2.1.1). */
enum prefix {
    PFX_ES = 0x26, PFX_CS = 0x2E, PFX_SS = 0x36, PFX_DS = 0x3E, PFX_FS = 0x64, PFX_GS = 0x65,
    PFX_OPERAND_SIZE = 0x66,
    PFX_ADDRESS_SIZE = 0x67,
    PFX_LOCK = 0xF0, PFX_REPNE = 0xF2, PFX_REP = 0xF3,
};

#define BYTE_REG_HIGH   4           /* byte registers 4-7 without REX: AH, CH, DH, BH (Table 2-2, 2.2.1.2) */

static enum seg_reg segment_of(u8 prefix)
{
    switch (prefix) {
    case PFX_ES: return SEG_ES;
    case PFX_CS: return SEG_CS;
    case PFX_SS: return SEG_SS;
    case PFX_DS: return SEG_DS;
    case PFX_FS: return SEG_FS;
    default: return SEG_GS;
    }
}

/*
 * Reads the prefixes up to the opcode, which it leaves in *op. Any number, in any order (2.1.1); a REX counts only
 * when the opcode follows it directly, a REX before a legacy prefix or before another REX is ignored (2.2.1).
 * In 64-bit mode the ES, CS, SS and DS overrides are ignored (2.1.1, group 2).
 */
enum insn_status insn_read_prefixes(struct insn_cursor *c, enum insn_mode mode, struct insn_prefixes *p,
                                    struct insn *out, u8 *op)
{
    for (;;) {
        u8 b;
        enum insn_status s = insn_take_byte(c, &b);
        if (s != INSN_OK)
            return s;
        if (insn_in_64bit(mode) && (b & REX_MASK) == REX_BASE) {
            p->rex = b;
            continue;
        }
        switch (b) {
        case PFX_LOCK: p->lock = true; break;
        case PFX_REP: p->rep = true; break;
        case PFX_REPNE: p->repne = true; break;
        case PFX_OPERAND_SIZE: p->operand_size = true; break;
        case PFX_ADDRESS_SIZE: p->address_size = true; break;
        case PFX_ES: case PFX_CS: case PFX_SS: case PFX_DS:
            if (!insn_in_64bit(mode)) {
                out->seg_override = true;
                out->seg = segment_of(b);
            }
            break;
        case PFX_FS: case PFX_GS:
            out->seg_override = true;
            out->seg = segment_of(b);
            break;
        default:
            *op = b;
            return INSN_OK;
        }
        p->rex = 0;
    }
}

/* Steps over the memory operand's SIB byte and displacement after ModRM (2.1.5, Tables 2-1 to 2-3). */
enum insn_status insn_skip_memory_operand(struct insn_cursor *c, u8 modrm, unsigned addr_size, enum insn_mode mode,
                                          struct insn *out)
{
    unsigned mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm), disp = 0;
    u64 ignored;

    if (mod == MOD_REGISTER)
        return INSN_REGISTER_OPERAND;
    if (addr_size == 2) {
        if (mod == MOD_DISP8)
            disp = 1;
        else if (mod == MOD_DISP_FULL || rm == RM16_DISP16)
            disp = 2;
        return disp ? insn_take(c, disp, &ignored) : INSN_OK;
    }
    if (rm == RM_SIB) {
        u8 sib;
        enum insn_status s = insn_take_byte(c, &sib);
        if (s != INSN_OK)
            return s;
        if (mod == MOD_NO_DISP && SIB_BASE(sib) == SIB_NO_BASE)
            disp = 4;
    } else if (mod == MOD_NO_DISP && rm == RM_DISP32) {
        disp = 4;
        out->rip_relative = insn_in_64bit(mode);
    }
    if (mod == MOD_DISP8)
        disp = 1;
    else if (mod == MOD_DISP_FULL)
        disp = 4;
    return disp ? insn_take(c, disp, &ignored) : INSN_OK;
}

/* The register ModRM.reg names at `width` bytes: with no REX, byte registers 4-7 are AH, CH, DH, BH (2.1.5). */
void insn_set_register(struct insn *out, u8 modrm, const struct insn_prefixes *p, unsigned width)
{
    unsigned reg = MODRM_REG(modrm);
    if (width == 1 && !p->rex && reg >= BYTE_REG_HIGH) {
        out->reg = (enum gpr)(reg - BYTE_REG_HIGH);
        out->high_byte = true;
        return;
    }
    out->reg = (enum gpr)(reg | (p->rex & REX_R ? 8 : 0));
}
