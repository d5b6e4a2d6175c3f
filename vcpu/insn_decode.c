/* SPDX-License-Identifier: BSD-2-Clause */
/* The MMIO instruction decoder: prefixes, REX, MOV/MOVZX/MOVSX/XCHG and OR/AND/CMP/TEST, ModRM/SIB/disp lengths. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/insn_decode.h"

/* Legacy prefixes (SDM Vol. 2A 2.1.1). */
enum prefix {
    PFX_ES = 0x26, PFX_CS = 0x2E, PFX_SS = 0x36, PFX_DS = 0x3E, PFX_FS = 0x64, PFX_GS = 0x65,
    PFX_OPERAND_SIZE = 0x66,
    PFX_ADDRESS_SIZE = 0x67,
    PFX_LOCK = 0xF0, PFX_REPNE = 0xF2, PFX_REP = 0xF3,
};

/* REX, 64-bit mode only: 0100WRXB (2.2.1). */
#define REX_MASK    0xF0
#define REX_BASE    0x40
#define REX_W       BIT(3)      /* 64-bit operand size */
#define REX_R       BIT(2)      /* bit 3 of ModRM.reg */

/* The opcodes emulated (Vol. 2 chapters 3-4, the MOV, MOVZX, MOVSX/MOVSXD and XCHG pages). */
enum opcode {
    OP_MOVSXD = 0x63,           /* MOVSXD r, r/m32 in 64-bit mode; ARPL elsewhere */
    OP_XCHG_RM8 = 0x86,         /* XCHG r/m8, r8 */
    OP_XCHG_RM = 0x87,          /* XCHG r/m, r */
    OP_MOV_RM8_R8 = 0x88,       /* MOV r/m8, r8 */
    OP_MOV_RM_R = 0x89,         /* MOV r/m, r */
    OP_MOV_R8_RM8 = 0x8A,       /* MOV r8, r/m8 */
    OP_MOV_R_RM = 0x8B,         /* MOV r, r/m */
    OP_MOV_AL_MOFFS = 0xA0,     /* MOV AL, moffs8 */
    OP_MOV_AX_MOFFS = 0xA1,     /* MOV AX/EAX/RAX, moffs */
    OP_MOV_MOFFS_AL = 0xA2,     /* MOV moffs8, AL */
    OP_MOV_MOFFS_AX = 0xA3,     /* MOV moffs, AX/EAX/RAX */
    OP_MOV_RM8_IMM = 0xC6,      /* MOV r/m8, imm8 (/0) */
    OP_MOV_RM_IMM = 0xC7,       /* MOV r/m, imm16/imm32 (/0) */
    OP_ESCAPE = 0x0F,           /* two-byte opcodes follow */
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

enum opcode_0f {
    OP2_MOVZX_8 = 0xB6,         /* MOVZX r, r/m8 */
    OP2_MOVZX_16 = 0xB7,        /* MOVZX r, r/m16 */
    OP2_MOVSX_8 = 0xBE,         /* MOVSX r, r/m8 */
    OP2_MOVSX_16 = 0xBF,        /* MOVSX r, r/m16 */
};

/* ModRM: mod(7:6) reg(5:3) rm(2:0); SIB: scale(7:6) index(5:3) base(2:0) (2.1.3, Tables 2-1 to 2-3). */
#define MODRM_MOD(m)    ((m) >> 6)
#define MODRM_REG(m)    (((m) >> 3) & 7)
#define MODRM_RM(m)     ((m) & 7)
#define SIB_BASE(s)     ((s) & 7)
#define MOD_NO_DISP     0           /* no displacement, but for the special cases below */
#define MOD_DISP8       1
#define MOD_DISP_FULL   2           /* disp16 with 16-bit addressing, disp32 otherwise */
#define MOD_REGISTER    3           /* a register operand, no memory */
#define RM16_DISP16     6           /* 16-bit, mod 00: [disp16] alone instead of [BP] (Table 2-1) */
#define RM_SIB          4           /* 32/64-bit: a SIB byte follows, whatever REX.B says (Table 2-2, 2-5) */
#define RM_DISP32       5           /* 32/64-bit, mod 00: [disp32], RIP-relative in 64-bit mode (2.2.1.6) */
#define SIB_NO_BASE     5           /* SIB base 101 with mod 00: disp32 and no base register (Table 2-3) */
#define MODRM_REG_MOV_IMM 0         /* C6/C7 /0 is MOV; /7 with mod 11 is XABORT/XBEGIN; others #UD */
#define BYTE_REG_HIGH   4           /* byte registers 4-7 without REX: AH, CH, DH, BH (Table 2-2, 2.2.1.2) */

/* The bytes, and where reading must stop: at count, and never past the 15-byte limit. */
struct cursor {
    const u8 *bytes;
    unsigned pos, count;
};

/* Checks that n more bytes exist: an instruction longer than 15 bytes is refused whatever follows. */
static enum insn_status need(const struct cursor *c, unsigned n)
{
    if (c->pos + n > INSN_MAX_LEN)
        return INSN_TOO_LONG;
    if (c->pos + n > c->count)
        return INSN_TRUNCATED;
    return INSN_OK;
}

/* Reads an n-byte little-endian field, sign-extended to 64 bits (immediates and displacements are, 2.1.4). */
static enum insn_status take(struct cursor *c, unsigned n, u64 *value)
{
    enum insn_status s = need(c, n);
    if (s != INSN_OK)
        return s;
    u64 v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (u64)c->bytes[c->pos + i] << (8 * i);
    if (n < sizeof(v) && v >> (8 * n - 1))
        v |= ~0ULL << (8 * n);
    c->pos += n;
    *value = v;
    return INSN_OK;
}

static enum insn_status take_byte(struct cursor *c, u8 *b)
{
    u64 v;
    enum insn_status s = take(c, 1, &v);
    *b = (u8)v;
    return s;
}

/* What the prefixes said. */
struct prefixes {
    bool operand_size, address_size, lock, rep, repne;
    u8 rex;                 /* 0 without REX */
};

static bool in_64bit(enum insn_mode mode)
{
    return mode == INSN_MODE_64;
}

/* Operand size (2.2.1.2, Table 2-4; Vol. 1 3.6.1): REX.W wins over 0x66, which toggles 16 and 32 bits. */
static unsigned operand_size(enum insn_mode mode, const struct prefixes *p)
{
    if (p->rex & REX_W)
        return 8;
    if (mode == INSN_MODE_16)
        return p->operand_size ? 4 : 2;
    return p->operand_size ? 2 : 4;
}

/* Address size (Vol. 1 3.6.1, Table 3-4): 0x67 gives 32 bits in 64-bit mode and toggles 16 and 32 otherwise. */
static unsigned address_size(enum insn_mode mode, const struct prefixes *p)
{
    if (in_64bit(mode))
        return p->address_size ? 4 : 8;
    if (mode == INSN_MODE_16)
        return p->address_size ? 4 : 2;
    return p->address_size ? 2 : 4;
}

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
static enum insn_status read_prefixes(struct cursor *c, enum insn_mode mode, struct prefixes *p, struct insn *out,
                                      u8 *op)
{
    for (;;) {
        u8 b;
        enum insn_status s = take_byte(c, &b);
        if (s != INSN_OK)
            return s;
        if (in_64bit(mode) && (b & REX_MASK) == REX_BASE) {
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
            if (!in_64bit(mode)) {
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
static enum insn_status skip_memory_operand(struct cursor *c, u8 modrm, unsigned addr_size, enum insn_mode mode,
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
        return disp ? take(c, disp, &ignored) : INSN_OK;
    }
    if (rm == RM_SIB) {
        u8 sib;
        enum insn_status s = take_byte(c, &sib);
        if (s != INSN_OK)
            return s;
        if (mod == MOD_NO_DISP && SIB_BASE(sib) == SIB_NO_BASE)
            disp = 4;
    } else if (mod == MOD_NO_DISP && rm == RM_DISP32) {
        disp = 4;
        out->rip_relative = in_64bit(mode);
    }
    if (mod == MOD_DISP8)
        disp = 1;
    else if (mod == MOD_DISP_FULL)
        disp = 4;
    return disp ? take(c, disp, &ignored) : INSN_OK;
}

/* The register ModRM.reg names at `width` bytes: with no REX, byte registers 4-7 are AH, CH, DH, BH (2.1.5). */
static void set_register(struct insn *out, u8 modrm, const struct prefixes *p, unsigned width)
{
    unsigned reg = MODRM_REG(modrm);
    if (width == 1 && !p->rex && reg >= BYTE_REG_HIGH) {
        out->reg = (enum gpr)(reg - BYTE_REG_HIGH);
        out->high_byte = true;
        return;
    }
    out->reg = (enum gpr)(reg | (p->rex & REX_R ? 8 : 0));
}

/*
 * LOCK is allowed with XCHG only (#UD elsewhere, Vol. 2A LOCK page). REPNE/REP on these opcodes are the HLE hints:
 * XACQUIRE/XRELEASE on XCHG, XRELEASE on MOV to memory (Vol. 2A XACQUIRE/XRELEASE page), ignored by a CPU without
 * HLE; on the loads they are undefined, so refused.
 */
static enum insn_status check_prefixes(const struct prefixes *p, enum insn_kind kind)
{
    if (p->lock && kind != INSN_XCHG)
        return INSN_BAD_PREFIX;
    if (p->repne && kind != INSN_XCHG)
        return INSN_BAD_PREFIX;
    if (p->rep && kind != INSN_XCHG && kind != INSN_STORE && kind != INSN_STORE_IMM)
        return INSN_BAD_PREFIX;
    return INSN_OK;
}

/* The ModRM forms: reads ModRM and the memory operand; `width` is the register's size, `size` the access's. */
static enum insn_status modrm_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p,
                                   enum insn_kind kind, unsigned size, unsigned width, struct insn *out)
{
    u8 modrm;
    enum insn_status s = check_prefixes(p, kind);
    if (s == INSN_OK)
        s = take_byte(c, &modrm);
    if (s == INSN_OK)
        s = skip_memory_operand(c, modrm, address_size(mode, p), mode, out);
    if (s != INSN_OK)
        return s;
    out->kind = kind;
    out->size = (u8)size;
    out->dst_size = (u8)width;
    set_register(out, modrm, p, width);
    return INSN_OK;
}

/* MOV r/m, imm (C6 /0 ib, C7 /0 iw/id): a 64-bit store takes imm32 sign-extended (Vol. 2B MOV page). */
static enum insn_status mov_imm_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p,
                                     unsigned size, struct insn *out)
{
    u8 modrm;
    enum insn_status s = check_prefixes(p, INSN_STORE_IMM);
    if (s == INSN_OK)
        s = take_byte(c, &modrm);
    if (s != INSN_OK)
        return s;
    if (MODRM_REG(modrm) != MODRM_REG_MOV_IMM)
        return INSN_UNKNOWN_OPCODE;
    s = skip_memory_operand(c, modrm, address_size(mode, p), mode, out);
    if (s == INSN_OK)
        s = take(c, size == 8 ? 4 : size, &out->imm);
    if (s != INSN_OK)
        return s;
    out->kind = INSN_STORE_IMM;
    out->size = out->dst_size = (u8)size;
    return INSN_OK;
}

/* MOV between AL/AX/EAX/RAX and moffs: the address is a displacement of the address size, no ModRM (MOV page). */
static enum insn_status moffs_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p,
                                   enum insn_kind kind, unsigned size, struct insn *out)
{
    u64 ignored;
    enum insn_status s = check_prefixes(p, kind);
    if (s == INSN_OK)
        s = take(c, address_size(mode, p), &ignored);
    if (s != INSN_OK)
        return s;
    out->kind = kind;
    out->size = out->dst_size = (u8)size;
    out->reg = RAX;
    return INSN_OK;
}

/* The two-byte opcodes 0F xx: MOVZX and MOVSX from a byte or a word (Vol. 2B MOVZX, MOVSX pages). */
static enum insn_status escape_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p,
                                    struct insn *out)
{
    u8 op;
    enum insn_status s = take_byte(c, &op);
    if (s != INSN_OK)
        return s;
    unsigned osize = operand_size(mode, p);
    switch (op) {
    case OP2_MOVZX_8: return modrm_form(c, mode, p, INSN_LOAD_ZX, 1, osize, out);
    case OP2_MOVZX_16: return modrm_form(c, mode, p, INSN_LOAD_ZX, 2, osize, out);
    case OP2_MOVSX_8: return modrm_form(c, mode, p, INSN_LOAD_SX, 1, osize, out);
    case OP2_MOVSX_16: return modrm_form(c, mode, p, INSN_LOAD_SX, 2, osize, out);
    default: return INSN_UNKNOWN_OPCODE;
    }
}

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
static enum insn_status alu_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p,
                                 enum insn_alu alu, bool mem_first, unsigned size, unsigned imm_bytes,
                                 struct insn *out)
{
    bool lockable = mem_first && (alu == ALU_OR || alu == ALU_AND);
    u8 modrm;
    enum insn_status s;

    if ((p->lock && !lockable) || p->rep || p->repne)
        return INSN_BAD_PREFIX;
    s = take_byte(c, &modrm);
    if (s == INSN_OK)
        s = skip_memory_operand(c, modrm, address_size(mode, p), mode, out);
    if (s == INSN_OK && imm_bytes)
        s = take(c, imm_bytes, &out->imm);
    if (s != INSN_OK)
        return s;
    out->kind = INSN_ALU;
    out->alu = alu;
    out->mem_first = mem_first;
    out->imm_source = imm_bytes != 0;
    out->size = out->dst_size = (u8)size;
    if (!imm_bytes)
        set_register(out, modrm, p, size);
    return INSN_OK;
}

/* Group 1 (80, 81, 83 /op) and group 3 (F6, F7 /0 TEST): the operation is in ModRM.reg, read before the rest. */
static enum insn_status alu_imm_form(struct cursor *c, enum insn_mode mode, const struct prefixes *p, u8 op,
                                     struct insn *out)
{
    unsigned osize = operand_size(mode, p);
    bool byte = op == OP_GROUP1_RM8_IMM8 || op == OP_GROUP3_RM8;
    unsigned size = byte ? 1 : osize;
    unsigned imm_bytes = byte || op == OP_GROUP1_RM_IMM8 ? 1 : osize == 8 ? 4 : osize;
    enum insn_alu alu;
    enum insn_status s = need(c, 1);
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

static enum insn_status decode(struct cursor *c, enum insn_mode mode, struct insn *out)
{
    struct prefixes p = { 0 };
    u8 op;
    enum insn_status s = read_prefixes(c, mode, &p, out, &op);
    if (s != INSN_OK)
        return s;
    out->lock = p.lock;
    unsigned osize = operand_size(mode, &p);

    switch (op) {
    case OP_MOV_RM8_R8: return modrm_form(c, mode, &p, INSN_STORE, 1, 1, out);
    case OP_MOV_RM_R: return modrm_form(c, mode, &p, INSN_STORE, osize, osize, out);
    case OP_MOV_R8_RM8: return modrm_form(c, mode, &p, INSN_LOAD, 1, 1, out);
    case OP_MOV_R_RM: return modrm_form(c, mode, &p, INSN_LOAD, osize, osize, out);
    case OP_XCHG_RM8: return modrm_form(c, mode, &p, INSN_XCHG, 1, 1, out);
    case OP_XCHG_RM: return modrm_form(c, mode, &p, INSN_XCHG, osize, osize, out);
    case OP_MOV_RM8_IMM: return mov_imm_form(c, mode, &p, 1, out);
    case OP_MOV_RM_IMM: return mov_imm_form(c, mode, &p, osize, out);
    case OP_MOV_AL_MOFFS: return moffs_form(c, mode, &p, INSN_LOAD, 1, out);
    case OP_MOV_AX_MOFFS: return moffs_form(c, mode, &p, INSN_LOAD, osize, out);
    case OP_MOV_MOFFS_AL: return moffs_form(c, mode, &p, INSN_STORE, 1, out);
    case OP_MOV_MOFFS_AX: return moffs_form(c, mode, &p, INSN_STORE, osize, out);
    case OP_ESCAPE: return escape_form(c, mode, &p, out);
    case OP_TEST_RM8_R8: return alu_form(c, mode, &p, ALU_TEST, true, 1, 0, out);
    case OP_TEST_RM_R: return alu_form(c, mode, &p, ALU_TEST, true, osize, 0, out);
    case OP_GROUP1_RM8_IMM8: case OP_GROUP1_RM_IMM: case OP_GROUP1_RM_IMM8:
    case OP_GROUP3_RM8: case OP_GROUP3_RM:
        return alu_imm_form(c, mode, &p, op, out);
    case OP_MOVSXD:
        /* MOVSXD reads 32 bits into a 64-bit register with REX.W; without it, a plain 16- or 32-bit load. */
        if (!in_64bit(mode))
            return INSN_UNKNOWN_OPCODE;
        return modrm_form(c, mode, &p, INSN_LOAD_SX, osize == 8 ? 4 : osize, osize, out);
    default:
        break;
    }
    enum insn_alu alu;
    if (op <= ALU_ROW_LAST && ALU_COLUMN(op) <= ALU_COLUMN_LAST_MODRM && alu_from_number(ALU_ROW(op), &alu))
        return alu_form(c, mode, &p, alu, !(op & ALU_REG_FIRST), op & ALU_FULL_SIZE ? osize : 1, 0, out);
    return INSN_UNKNOWN_OPCODE;
}

enum insn_status insn_decode(const u8 *bytes, unsigned count, enum insn_mode mode, struct insn *out)
{
    if (mode != INSN_MODE_16 && mode != INSN_MODE_32 && mode != INSN_MODE_64)
        return INSN_BAD_MODE;
    struct cursor c = { .bytes = bytes, .count = count };
    *out = (struct insn){ 0 };
    enum insn_status s = decode(&c, mode, out);
    if (s == INSN_OK)
        out->len = (u8)c.pos;
    return s;
}

const char *insn_status_name(enum insn_status status)
{
    static const char *const names[] = {
        [INSN_OK] = "ok",
        [INSN_TRUNCATED] = "truncated",
        [INSN_TOO_LONG] = "longer than 15 bytes",
        [INSN_UNKNOWN_OPCODE] = "unknown opcode",
        [INSN_REGISTER_OPERAND] = "register operand",
        [INSN_BAD_PREFIX] = "bad prefix",
        [INSN_BAD_MODE] = "bad mode",
    };
    if ((unsigned)status < ARRAY_SIZE(names) && names[status])
        return names[status];
    return "unknown status";
}

size_t insn_format_bytes(char *buf, size_t size, const u8 *bytes, unsigned count)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = 0;
    for (unsigned i = 0; i < count; i++) {
        char text[3] = { i ? ' ' : '\0', hex[bytes[i] >> 4], hex[bytes[i] & 0xF] };
        for (unsigned k = i ? 0 : 1; k < sizeof(text); k++, len++)
            if (len + 1 < size)
                buf[len] = text[k];
    }
    if (size)
        buf[MIN(len, size - 1)] = '\0';
    return len;
}
