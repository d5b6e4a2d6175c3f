/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the MMIO instruction decoder: any bytes in any mode, read in bounds, answered consistently. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "vcpu/insn_alu.h"
#include "vcpu/insn_decode.h"

#define MAX_COUNT (INSN_MAX_LEN + 5)    /* a few bytes past the limit: the decoder must not look at them */

/* The bytes in a buffer of exactly `count` bytes, so that AddressSanitizer catches a read past the end. */
static enum insn_status decode_exact(const u8 *bytes, unsigned count, enum insn_mode mode, struct insn *out)
{
    u8 *copy = malloc(count ? count : 1);
    memcpy(copy, bytes, count);
    enum insn_status s = insn_decode(copy, count, mode, out);
    free(copy);
    return s;
}

static bool same(const struct insn *a, const struct insn *b)
{
    return a->kind == b->kind && a->len == b->len && a->size == b->size && a->dst_size == b->dst_size &&
           a->reg == b->reg && a->high_byte == b->high_byte && a->imm == b->imm &&
           a->seg_override == b->seg_override && (!a->seg_override || a->seg == b->seg) &&
           a->rip_relative == b->rip_relative && a->lock == b->lock && a->alu == b->alu &&
           a->mem_first == b->mem_first && a->imm_source == b->imm_source;
}

static bool valid_size(unsigned n)
{
    return n == 1 || n == 2 || n == 4 || n == 8;
}

static void check_accepted(const struct insn *in, unsigned count, enum insn_mode mode)
{
    INVARIANT(in->len >= 1 && in->len <= INSN_MAX_LEN && in->len <= count);
    INVARIANT(in->kind <= INSN_ALU && valid_size(in->size) && valid_size(in->dst_size));
    if (in->kind == INSN_LOAD_ZX || in->kind == INSN_LOAD_SX)
        INVARIANT(in->dst_size >= in->size && in->dst_size >= 2);
    else
        INVARIANT(in->dst_size == in->size);
    INVARIANT(in->reg < GPR_COUNT);
    INVARIANT(!in->high_byte || (in->size == 1 && in->dst_size == 1 && in->reg <= RBX));
    INVARIANT(mode == INSN_MODE_64 || (in->reg < R8 && in->size < 8 && !in->rip_relative));
    INVARIANT(!in->lock || in->kind == INSN_XCHG ||
              (in->kind == INSN_ALU && in->mem_first && insn_alu_writes(in->alu)));
    INVARIANT(in->kind == INSN_ALU || (in->alu == ALU_OR && !in->mem_first && !in->imm_source));
    INVARIANT(in->alu <= ALU_TEST && (!in->imm_source || in->mem_first));
    INVARIANT(!in->seg_override || in->seg <= SEG_GS);
    INVARIANT(mode != INSN_MODE_64 || !in->seg_override || in->seg == SEG_FS || in->seg == SEG_GS);
    if (in->kind == INSN_STORE_IMM || in->imm_source) {
        unsigned bits = 8 * (in->size == 8 ? 4 : in->size);    /* imm32 sign-extended to 64 bits, imm8 to any */
        INVARIANT((u64)((i64)(in->imm << (64 - bits)) >> (64 - bits)) == in->imm);
        INVARIANT(in->reg == RAX && !in->high_byte);
    } else {
        INVARIANT(in->imm == 0);
    }
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    static const enum insn_mode modes[] = { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };
    if (size < 2)
        return 0;
    enum insn_mode mode = modes[data[0] % ARRAY_SIZE(modes)];
    unsigned count = MIN((unsigned)(size - 1), (unsigned)MAX_COUNT);
    const u8 *bytes = data + 1;
    struct insn in, again;

    enum insn_status s = decode_exact(bytes, count, mode, &in);
    INVARIANT(s <= INSN_BAD_MODE && s != INSN_BAD_MODE);
    INVARIANT(s != INSN_TRUNCATED || count < INSN_MAX_LEN);

    if (s == INSN_OK) {
        check_accepted(&in, count, mode);
        /* The instruction alone decodes the same; each shorter count is truncated. */
        INVARIANT(decode_exact(bytes, in.len, mode, &again) == INSN_OK && same(&in, &again));
        for (unsigned k = 0; k < in.len; k++)
            INVARIANT(decode_exact(bytes, k, mode, &again) == INSN_TRUNCATED);
    }

    /* Through the memo: the same answer when it decodes, and again when it answers from memory. */
    struct insn_memo memo = { 0 };
    for (int round = 0; round < 2; round++) {
        INVARIANT(insn_decode_memo(&memo, bytes, count, mode, &again) == s);
        INVARIANT(s != INSN_OK || same(&in, &again));
    }

    /* More bytes after the given ones change no answer but "truncated". */
    if (s != INSN_TRUNCATED) {
        u8 longer[MAX_COUNT + INSN_MAX_LEN];
        memcpy(longer, bytes, count);
        for (unsigned i = count; i < sizeof(longer); i++)
            longer[i] = (u8)(data[0] + 17 * i);
        INVARIANT(decode_exact(longer, sizeof(longer), mode, &again) == s);
        INVARIANT(s != INSN_OK || same(&in, &again));
    }

    char text[3 * MAX_COUNT];
    size_t len = insn_format_bytes(text, sizeof(text), bytes, count);
    INVARIANT(len == (count ? 3 * count - 1 : 0) && strlen(text) == len);
    return 0;
}
