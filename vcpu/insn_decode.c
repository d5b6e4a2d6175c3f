/* SPDX-License-Identifier: BSD-2-Clause */
/* The MMIO instruction decoder: MOV, MOVZX, MOVSX, MOVSXD and XCHG with memory; the ALU forms in insn_alu_decode.c. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/insn_encoding.h"

/* The opcodes emulated (SDM Vol. 2 chapters 3-4, the MOV, MOVZX, MOVSX/MOVSXD and XCHG pages). */
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
};

enum opcode_0f {
    OP2_MOVZX_8 = 0xB6,         /* MOVZX r, r/m8 */
    OP2_MOVZX_16 = 0xB7,        /* MOVZX r, r/m16 */
    OP2_MOVSX_8 = 0xBE,         /* MOVSX r, r/m8 */
    OP2_MOVSX_16 = 0xBF,        /* MOVSX r, r/m16 */
};

#define MODRM_REG_MOV_IMM 0         /* C6/C7 /0 is MOV; /7 with mod 11 is XABORT/XBEGIN; others #UD */

/*
 * LOCK is allowed with XCHG only (#UD elsewhere, Vol. 2A LOCK page). REPNE/REP on these opcodes are the HLE hints:
 * XACQUIRE/XRELEASE on XCHG, XRELEASE on MOV to memory (Vol. 2A XACQUIRE/XRELEASE page), ignored by a CPU without
 * HLE; on the loads they are undefined, so refused.
 */
static enum insn_status check_prefixes(const struct insn_prefixes *p, enum insn_kind kind)
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
static enum insn_status modrm_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p,
                                   enum insn_kind kind, unsigned size, unsigned width, struct insn *out)
{
    u8 modrm;
    enum insn_status s = check_prefixes(p, kind);
    if (s == INSN_OK)
        s = insn_take_byte(c, &modrm);
    if (s == INSN_OK)
        s = insn_skip_memory_operand(c, modrm, insn_address_size(mode, p), mode, out);
    if (s != INSN_OK)
        return s;
    out->kind = kind;
    out->size = (u8)size;
    out->dst_size = (u8)width;
    insn_set_register(out, modrm, p, width);
    return INSN_OK;
}

/* MOV r/m, imm (C6 /0 ib, C7 /0 iw/id): a 64-bit store takes imm32 sign-extended (Vol. 2B MOV page). */
static enum insn_status mov_imm_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p,
                                     unsigned size, struct insn *out)
{
    u8 modrm;
    enum insn_status s = check_prefixes(p, INSN_STORE_IMM);
    if (s == INSN_OK)
        s = insn_take_byte(c, &modrm);
    if (s != INSN_OK)
        return s;
    if (MODRM_REG(modrm) != MODRM_REG_MOV_IMM)
        return INSN_UNKNOWN_OPCODE;
    s = insn_skip_memory_operand(c, modrm, insn_address_size(mode, p), mode, out);
    if (s == INSN_OK)
        s = insn_take(c, size == 8 ? 4 : size, &out->imm);
    if (s != INSN_OK)
        return s;
    out->kind = INSN_STORE_IMM;
    out->size = out->dst_size = (u8)size;
    return INSN_OK;
}

/* MOV between AL/AX/EAX/RAX and moffs: the address is a displacement of the address size, no ModRM (MOV page). */
static enum insn_status moffs_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p,
                                   enum insn_kind kind, unsigned size, struct insn *out)
{
    u64 ignored;
    enum insn_status s = check_prefixes(p, kind);
    if (s == INSN_OK)
        s = insn_take(c, insn_address_size(mode, p), &ignored);
    if (s != INSN_OK)
        return s;
    out->kind = kind;
    out->size = out->dst_size = (u8)size;
    out->reg = RAX;
    return INSN_OK;
}

/* The two-byte opcodes 0F xx: MOVZX and MOVSX from a byte or a word (Vol. 2B MOVZX, MOVSX pages). */
static enum insn_status escape_form(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p,
                                    struct insn *out)
{
    u8 op;
    enum insn_status s = insn_take_byte(c, &op);
    if (s != INSN_OK)
        return s;
    unsigned osize = insn_operand_size(mode, p);
    switch (op) {
    case OP2_MOVZX_8: return modrm_form(c, mode, p, INSN_LOAD_ZX, 1, osize, out);
    case OP2_MOVZX_16: return modrm_form(c, mode, p, INSN_LOAD_ZX, 2, osize, out);
    case OP2_MOVSX_8: return modrm_form(c, mode, p, INSN_LOAD_SX, 1, osize, out);
    case OP2_MOVSX_16: return modrm_form(c, mode, p, INSN_LOAD_SX, 2, osize, out);
    default: return INSN_UNKNOWN_OPCODE;
    }
}

static enum insn_status decode(struct insn_cursor *c, enum insn_mode mode, struct insn *out)
{
    struct insn_prefixes p = { 0 };
    u8 op;
    enum insn_status s = insn_read_prefixes(c, mode, &p, out, &op);
    if (s != INSN_OK)
        return s;
    out->lock = p.lock;
    unsigned osize = insn_operand_size(mode, &p);

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
    case OP_MOVSXD:
        /* MOVSXD reads 32 bits into a 64-bit register with REX.W; without it, a plain 16- or 32-bit load. */
        if (!insn_in_64bit(mode))
            return INSN_UNKNOWN_OPCODE;
        return modrm_form(c, mode, &p, INSN_LOAD_SX, osize == 8 ? 4 : osize, osize, out);
    default:
        return insn_decode_alu(c, mode, &p, op, out);
    }
}

enum insn_status insn_decode(const u8 *bytes, unsigned count, enum insn_mode mode, struct insn *out)
{
    if (mode != INSN_MODE_16 && mode != INSN_MODE_32 && mode != INSN_MODE_64)
        return INSN_BAD_MODE;
    struct insn_cursor c = { .bytes = bytes, .count = count };
    *out = (struct insn){ 0 };
    enum insn_status s = decode(&c, mode, out);
    if (s == INSN_OK)
        out->len = (u8)c.pos;
    return s;
}

static u64 load8(const u8 *p)
{
    u64 v;
    __builtin_memcpy(&v, p, sizeof v);      /* one unaligned load */
    return v;
}

/* n <= 16 bytes equal: from 8 on, the first 8 and the last 8 (which overlap) cover them in two compares. */
static bool same_bytes(const u8 *a, const u8 *b, unsigned n)
{
    if (n >= 8)
        return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool memo_matches(const struct insn_memo *m, const u8 *bytes, unsigned count, enum insn_mode mode)
{
    return m->valid && m->mode == mode && m->count == count && same_bytes(m->bytes, bytes, count);
}

enum insn_status insn_decode_memo(struct insn_memo *m, const u8 *bytes, unsigned count, enum insn_mode mode,
                                  struct insn *out)
{
    if (memo_matches(m, bytes, count, mode)) {
        *out = m->insn;
        return INSN_OK;
    }
    enum insn_status s = insn_decode(bytes, count, mode, out);
    m->valid = s == INSN_OK && count <= INSN_MAX_LEN;
    if (m->valid) {
        m->mode = mode;
        m->count = count;
        for (unsigned i = 0; i < count; i++)
            m->bytes[i] = bytes[i];
        m->insn = *out;
    }
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
