/* SPDX-License-Identifier: BSD-2-Clause */
/* The x86 encoding steps the decoder's files (vcpu/insn_*.c) share: the byte cursor, prefixes, sizes, ModRM. */
#ifndef VCPU_INSN_ENCODING_H
#define VCPU_INSN_ENCODING_H

#include "vcpu/insn_decode.h"

/* REX, 64-bit mode only: 0100WRXB (SDM Vol. 2A 2.2.1). */
#define REX_MASK    0xF0
#define REX_BASE    0x40
#define REX_W       BIT(3)      /* 64-bit operand size */
#define REX_R       BIT(2)      /* bit 3 of ModRM.reg */

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

/* The bytes, and where reading must stop: at count, and never past the 15-byte limit. */
struct insn_cursor {
    const u8 *bytes;
    unsigned pos, count;
};

/* Checks that n more bytes exist: an instruction longer than 15 bytes is refused whatever follows. */
static inline enum insn_status insn_need(const struct insn_cursor *c, unsigned n)
{
    if (c->pos + n > INSN_MAX_LEN)
        return INSN_TOO_LONG;
    if (c->pos + n > c->count)
        return INSN_TRUNCATED;
    return INSN_OK;
}

/* Reads an n-byte little-endian field, sign-extended to 64 bits (immediates and displacements are, 2.1.4). */
static inline enum insn_status insn_take(struct insn_cursor *c, unsigned n, u64 *value)
{
    enum insn_status s = insn_need(c, n);
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

static inline enum insn_status insn_take_byte(struct insn_cursor *c, u8 *b)
{
    u64 v = 0;
    enum insn_status s = insn_take(c, 1, &v);
    *b = (u8)v;
    return s;
}

/* What the prefixes said. */
struct insn_prefixes {
    bool operand_size, address_size, lock, rep, repne;
    u8 rex;                 /* 0 without REX */
};

static inline bool insn_in_64bit(enum insn_mode mode)
{
    return mode == INSN_MODE_64;
}

/* Operand size (2.2.1.2, Table 2-4; Vol. 1 3.6.1): REX.W wins over 0x66, which toggles 16 and 32 bits. */
static inline unsigned insn_operand_size(enum insn_mode mode, const struct insn_prefixes *p)
{
    if (p->rex & REX_W)
        return 8;
    if (mode == INSN_MODE_16)
        return p->operand_size ? 4 : 2;
    return p->operand_size ? 2 : 4;
}

/* Address size (Vol. 1 3.6.1, Table 3-4): 0x67 gives 32 bits in 64-bit mode and toggles 16 and 32 otherwise. */
static inline unsigned insn_address_size(enum insn_mode mode, const struct insn_prefixes *p)
{
    if (insn_in_64bit(mode))
        return p->address_size ? 4 : 8;
    if (mode == INSN_MODE_16)
        return p->address_size ? 4 : 2;
    return p->address_size ? 2 : 4;
}

/* Reads the prefixes up to the opcode, which it leaves in *op; a segment override goes to out (insn_encoding.c). */
enum insn_status insn_read_prefixes(struct insn_cursor *c, enum insn_mode mode, struct insn_prefixes *p,
                                    struct insn *out, u8 *op);
/* Steps over the memory operand after ModRM; refuses a register operand (insn_encoding.c). */
enum insn_status insn_skip_memory_operand(struct insn_cursor *c, u8 modrm, unsigned addr_size, enum insn_mode mode,
                                          struct insn *out);
/* Sets out->reg (and high_byte) from ModRM.reg at `width` bytes (insn_encoding.c). */
void insn_set_register(struct insn *out, u8 modrm, const struct insn_prefixes *p, unsigned width);
/* OR, AND, CMP, TEST forms (insn_alu_decode.c); INSN_UNKNOWN_OPCODE for any other opcode. */
enum insn_status insn_decode_alu(struct insn_cursor *c, enum insn_mode mode, const struct insn_prefixes *p, u8 op,
                                 struct insn *out);

#endif
