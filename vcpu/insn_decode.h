/* SPDX-License-Identifier: BSD-2-Clause */
/* The instruction decoder for MMIO emulation: what a faulting instruction does to memory, from its bytes. */
#ifndef VCPU_INSN_DECODE_H
#define VCPU_INSN_DECODE_H

#include "kernel/types.h"
#include "vcpu/exit_decode.h"
#include "vcpu/gpr.h"

/* The longest instruction the CPU executes; a longer one raises #GP (SDM Vol. 2A 2.3.11). */
#define INSN_MAX_LEN 15

/* The code segment's default operand and address size in bytes, as guest_default_address_size() gives it. */
enum insn_mode { INSN_MODE_16 = 2, INSN_MODE_32 = 4, INSN_MODE_64 = 8 };

/* What the instruction does with the memory operand, the device register the EPT violation names. */
enum insn_kind {
    INSN_LOAD,          /* MOV reg, mem: the register takes `size` bytes (gpr_merge; bits 15:8 if high_byte) */
    INSN_STORE,         /* MOV mem, reg: writes the register's low `size` bytes */
    INSN_STORE_IMM,     /* MOV mem, imm: writes the immediate's low `size` bytes */
    INSN_LOAD_ZX,       /* MOVZX: reads `size` bytes, zero-extends them to `dst_size` */
    INSN_LOAD_SX,       /* MOVSX, MOVSXD: reads `size` bytes, sign-extends them to `dst_size` */
    INSN_XCHG,          /* XCHG mem, reg: reads `size` bytes into the register, writes its old value back; locked */
    INSN_ALU,           /* OR, AND, CMP or TEST with a memory operand: `alu`, `mem_first`, `imm_source` (insn_alu.h) */
};

/* The ALU operations test kernels apply to device registers (`*reg |= bit`, a busy-bit TEST in a loop). */
enum insn_alu { ALU_OR, ALU_AND, ALU_CMP, ALU_TEST };

/* Why an instruction was refused: the caller stops the VM, naming this and the bytes (insn_format_bytes). */
enum insn_status {
    INSN_OK = 0,
    INSN_TRUNCATED,         /* the bytes end before the instruction does: fetch more (the next page) and retry */
    INSN_TOO_LONG,          /* longer than 15 bytes: #GP on the CPU */
    INSN_UNKNOWN_OPCODE,    /* not an instruction this decoder emulates */
    INSN_REGISTER_OPERAND,  /* ModRM.mod = 11: no memory operand, so it cannot have caused an EPT violation */
    INSN_BAD_PREFIX,        /* LOCK, REP or REPNE where the instruction does not take it (#UD or undefined) */
    INSN_BAD_MODE,          /* the mode is not one of enum insn_mode */
};

struct insn {
    enum insn_kind kind;
    u8 len;                 /* 1..15: bytes to advance RIP by */
    u8 size;                /* the memory access: 1, 2, 4 or 8 bytes */
    u8 dst_size;            /* the register written by a load (= size but for MOVZX/MOVSX), or read by a store */
    enum gpr reg;           /* the register operand; RAX for the moffs forms; none with an immediate */
    bool high_byte;         /* reg's bits 15:8 (AH, CH, DH, BH): a byte operand 4-7 without a REX prefix */
    u64 imm;                /* INSN_STORE_IMM, INSN_ALU: the immediate sign-extended to 64 bits, as the CPU does */
    bool seg_override;      /* a segment prefix that takes effect (only FS and GS in 64-bit mode) */
    enum seg_reg seg;       /* that segment, when seg_override */
    bool rip_relative;      /* 64-bit mode, ModRM mod = 00 rm = 101: displacement from the next instruction */
    bool lock;              /* a LOCK prefix (XCHG, and OR/AND with a memory destination) */
    /* INSN_ALU only: */
    enum insn_alu alu;
    bool mem_first;         /* memory is the first operand (the destination of OR/AND), else the register is */
    bool imm_source;        /* the second operand is `imm`, else `reg` */
};

/*
 * Decodes the instruction in bytes[0..count) (count may exceed 15; only the first 15 are looked at). Never reads
 * past count. On INSN_OK fills *out, with out->len <= count; otherwise *out is unspecified.
 */
__attribute__((warn_unused_result))
enum insn_status insn_decode(const u8 *bytes, unsigned count, enum insn_mode mode, struct insn *out);

/* A short name for a status, for the stop report ("truncated", "unknown opcode", ...). */
/* The last instruction decoded and the input it came from (vcpu/mmio.c keeps one per vCPU). */
struct insn_memo {
    bool valid;
    enum insn_mode mode;
    unsigned count;
    u8 bytes[INSN_MAX_LEN];
    struct insn insn;
};

/*
 * insn_decode, answered from the memo when the bytes, their count and the mode are the ones it was made from (a
 * driver's accessor exits from the same instruction again and again): the decoder is a function of its input
 * alone, so the answer is the same. A successful decode is remembered, anything else forgets.
 */
__attribute__((warn_unused_result))
enum insn_status insn_decode_memo(struct insn_memo *m, const u8 *bytes, unsigned count, enum insn_mode mode,
                                  struct insn *out);

const char *insn_status_name(enum insn_status status);

/* The bytes as "8b 87 00 03 00 00" into buf (NUL-terminated when size > 0); returns the length of the full text. */
size_t insn_format_bytes(char *buf, size_t size, const u8 *bytes, unsigned count);

#endif
