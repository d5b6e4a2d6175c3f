/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the MMIO instruction decoder, from real encodings (GNU as, objdump -d; -Mi8086 for .code16). */
#include "unit.h"
#include "vcpu/insn_decode.h"

/* One accepted encoding and what it does; unset fields are zero (INSN_LOAD, RAX, no override, dst_size = size). */
struct accepted {
    const char *text;           /* as GNU as reads it */
    enum insn_mode mode;
    u8 bytes[INSN_MAX_LEN];
    u8 len;
    enum insn_kind kind;
    u8 size, dst_size;
    enum gpr reg;
    bool high_byte, rip_relative, lock, seg_override;
    enum seg_reg seg;
    u64 imm;
    enum insn_alu alu;
    bool mem_first, imm_source;
};

#define BYTES(...) .bytes = { __VA_ARGS__ }, .len = sizeof((u8[]){ __VA_ARGS__ })
#define SEG(s) .seg_override = true, .seg = (s)
#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64

/* Linux on x86-64: readl/writel/readb/writeb/readq/writeq, the xAPIC accessors, kernel data through RIP. */
static const struct accepted linux64[] = {
    { "mov 0x300(%rax),%eax", M64, BYTES(0x8b, 0x80, 0x00, 0x03, 0x00, 0x00), .size = 4 },
    { "mov %edx,0xb0(%rcx)", M64, BYTES(0x89, 0x91, 0xb0, 0x00, 0x00, 0x00), INSN_STORE, 4, .reg = RDX },
    { "movl $0x0,0xb0(%rax)", M64, BYTES(0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
      INSN_STORE_IMM, 4, .imm = 0 },
    { "mov (%rdi),%eax", M64, BYTES(0x8b, 0x07), .size = 4 },
    { "mov %esi,(%rdi)", M64, BYTES(0x89, 0x37), INSN_STORE, 4, .reg = RSI },
    { "mov %esi,(%rdi,%rax,1)", M64, BYTES(0x89, 0x34, 0x07), INSN_STORE, 4, .reg = RSI },
    { "mov 0x10(%rdi,%rcx,4),%edx", M64, BYTES(0x8b, 0x54, 0x8f, 0x10), .size = 4, .reg = RDX },
    { "mov (%rax),%al", M64, BYTES(0x8a, 0x00), .size = 1 },
    { "mov %bl,(%rdx)", M64, BYTES(0x88, 0x1a), INSN_STORE, 1, .reg = RBX },
    { "movb $0x80,(%rcx)", M64, BYTES(0xc6, 0x01, 0x80), INSN_STORE_IMM, 1, .imm = 0xffffffffffffff80ULL },
    { "mov (%rax),%ax", M64, BYTES(0x66, 0x8b, 0x00), .size = 2 },
    { "movw $0xffff,0x2(%rbx)", M64, BYTES(0x66, 0xc7, 0x43, 0x02, 0xff, 0xff), INSN_STORE_IMM, 2, .imm = ~0ULL },
    { "mov (%rax),%rax", M64, BYTES(0x48, 0x8b, 0x00), .size = 8 },
    { "mov %rdx,0x8(%rcx)", M64, BYTES(0x48, 0x89, 0x51, 0x08), INSN_STORE, 8, .reg = RDX },
    { "movq $-1,(%rax)", M64, BYTES(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), INSN_STORE_IMM, 8, .imm = ~0ULL },
    { "movq $0x7fffffff,(%rax)", M64, BYTES(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f), INSN_STORE_IMM, 8,
      .imm = 0x7fffffff },
    { "mov 0x1234(%rip),%eax", M64, BYTES(0x8b, 0x05, 0x34, 0x12, 0x00, 0x00), .size = 4, .rip_relative = true },
    { "mov 0x10(%eip),%eax", M64, BYTES(0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00), .size = 4, .rip_relative = true },
    { "mov (%eax),%eax", M64, BYTES(0x67, 0x8b, 0x00), .size = 4 },
};

/* REX.R/X/B, the SIB and displacement special cases, byte registers with and without REX. */
static const struct accepted rex64[] = {
    { "mov %r8d,(%r9)", M64, BYTES(0x45, 0x89, 0x01), INSN_STORE, 4, .reg = R8 },
    { "mov (%r12),%r13", M64, BYTES(0x4d, 0x8b, 0x2c, 0x24), .size = 8, .reg = R13 },
    { "mov 0x0(%r13),%r14d", M64, BYTES(0x45, 0x8b, 0x75, 0x00), .size = 4, .reg = R14 },
    { "mov 0x0(%r13),%eax", M64, BYTES(0x41, 0x8b, 0x45, 0x00), .size = 4 },
    { "mov (%rsp),%eax", M64, BYTES(0x8b, 0x04, 0x24), .size = 4 },
    { "mov (%r12),%eax", M64, BYTES(0x41, 0x8b, 0x04, 0x24), .size = 4 },
    { "mov 0x12345678(,%rax,8),%ecx", M64, BYTES(0x8b, 0x0c, 0xc5, 0x78, 0x56, 0x34, 0x12), .size = 4, .reg = RCX },
    { "mov 0x12345678,%ecx", M64, BYTES(0x8b, 0x0c, 0x25, 0x78, 0x56, 0x34, 0x12), .size = 4, .reg = RCX },
    { "mov (%rax,%r11,2),%r10b", M64, BYTES(0x46, 0x8a, 0x14, 0x58), .size = 1, .reg = R10 },
    { "mov %sil,(%rax)", M64, BYTES(0x40, 0x88, 0x30), INSN_STORE, 1, .reg = RSI },
    { "mov %ah,(%rbx)", M64, BYTES(0x88, 0x23), INSN_STORE, 1, .reg = RAX, .high_byte = true },
    { "mov (%rcx),%bh", M64, BYTES(0x8a, 0x39), .size = 1, .reg = RBX, .high_byte = true },
    /* (%r13) with mod 00 is RIP-relative: REX.B does not change the rm = 101 special case (SDM Table 2-5). */
    { "mov 0x10(%rip),%eax (41 prefix)", M64, BYTES(0x41, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00), .size = 4,
      .rip_relative = true },
    /* A REX followed by a legacy prefix is ignored (SDM 2.2.1): 48 66 8b 00 is mov (%rax),%ax. */
    { "rex.W data16 mov (%rax),%ax", M64, BYTES(0x48, 0x66, 0x8b, 0x00), .size = 2 },
    /* Two REX prefixes: only the one next to the opcode counts. */
    { "rex.W rex.R mov (%rax),%r8d", M64, BYTES(0x48, 0x44, 0x8b, 0x00), .size = 4, .reg = R8 },
    /* REX.W wins over 0x66. */
    { "data16 mov (%rax),%rax", M64, BYTES(0x66, 0x48, 0x8b, 0x00), .size = 8 },
};

static const struct accepted extend64[] = {
    { "movzbl (%rax),%eax", M64, BYTES(0x0f, 0xb6, 0x00), INSN_LOAD_ZX, 1, 4 },
    { "movzwl 0x10(%rdi),%ecx", M64, BYTES(0x0f, 0xb7, 0x4f, 0x10), INSN_LOAD_ZX, 2, 4, .reg = RCX },
    { "movzbq (%rax),%r9", M64, BYTES(0x4c, 0x0f, 0xb6, 0x08), INSN_LOAD_ZX, 1, 8, .reg = R9 },
    { "movsbl (%rax),%edx", M64, BYTES(0x0f, 0xbe, 0x10), INSN_LOAD_SX, 1, 4, .reg = RDX },
    { "movswq (%rax),%rdx", M64, BYTES(0x48, 0x0f, 0xbf, 0x10), INSN_LOAD_SX, 2, 8, .reg = RDX },
    { "movsbw (%rax),%ax", M64, BYTES(0x66, 0x0f, 0xbe, 0x00), INSN_LOAD_SX, 1, 2 },
    /* MOVZX with a high-byte-looking reg field is still a full register: 0f b6 20 is movzbl (%rax),%esp. */
    { "movzbl (%rax),%esp", M64, BYTES(0x0f, 0xb6, 0x20), INSN_LOAD_ZX, 1, 4, .reg = RSP },
    { "movslq (%rax),%rax", M64, BYTES(0x48, 0x63, 0x00), INSN_LOAD_SX, 4, 8 },
    { "movsxd (%rax),%eax", M64, BYTES(0x63, 0x00), INSN_LOAD_SX, 4, 4 },
    { "xchg %eax,(%rdi)", M64, BYTES(0x87, 0x07), INSN_XCHG, 4 },
    { "lock xchg %rcx,0x8(%rdx)", M64, BYTES(0xf0, 0x48, 0x87, 0x4a, 0x08), INSN_XCHG, 8, .reg = RCX, .lock = true },
    { "xchg %al,(%rbx)", M64, BYTES(0x86, 0x03), INSN_XCHG, 1 },
    { "xacquire lock xchg %eax,(%rdi)", M64, BYTES(0xf2, 0xf0, 0x87, 0x07), INSN_XCHG, 4, .lock = true },
    { "xrelease mov %eax,(%rdi)", M64, BYTES(0xf3, 0x89, 0x07), INSN_STORE, 4 },
};

/* moffs: the address size's displacement, 8 bytes in 64-bit mode, 4 with 0x67; 2 or 4 elsewhere. */
static const struct accepted moffs[] = {
    { "movabs 0x1122334455667788,%eax", M64, BYTES(0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), .size = 4 },
    { "movabs %al,0x1122334455667788", M64, BYTES(0xa2, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
      INSN_STORE, 1 },
    { "movabs %rax,0xfee00300", M64, BYTES(0x48, 0xa3, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00), INSN_STORE, 8 },
    { "addr32 mov 0xfee000b0,%eax", M64, BYTES(0x67, 0xa1, 0xb0, 0x00, 0xe0, 0xfe), .size = 4 },
    /* REX.B does not reach AL: 41 a0 is still a load into AL. */
    { "rex.B movabs 0x0,%al", M64, BYTES(0x41, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0), .size = 1 },
    { "mov 0xfee00020,%eax", M32, BYTES(0xa1, 0x20, 0x00, 0xe0, 0xfe), .size = 4 },
    { "mov %eax,0xfee000b0", M32, BYTES(0xa3, 0xb0, 0x00, 0xe0, 0xfe), INSN_STORE, 4 },
    { "mov 0xfec00000,%al", M32, BYTES(0xa0, 0x00, 0x00, 0xc0, 0xfe), .size = 1 },
    { "mov 0xfee00030,%ax", M32, BYTES(0x66, 0xa1, 0x30, 0x00, 0xe0, 0xfe), .size = 2 },
    { "addr16 mov 0x1234,%eax", M32, BYTES(0x67, 0xa1, 0x34, 0x12), .size = 4 },
    { "mov 0x1234,%ax", M16, BYTES(0xa1, 0x34, 0x12), .size = 2 },
    { "mov 0x1234,%al", M16, BYTES(0xa0, 0x34, 0x12), .size = 1 },
    { "mov 0x1234,%eax", M16, BYTES(0x66, 0xa1, 0x34, 0x12), .size = 4 },
    { "addr32 mov 0xfee00300,%eax", M16, BYTES(0x67, 0x66, 0xa1, 0x00, 0x03, 0xe0, 0xfe), .size = 4 },
    { "mov %ax,%gs:0x10", M16, BYTES(0x65, 0xa3, 0x10, 0x00), INSN_STORE, 2, SEG(SEG_GS) },
};

/* 32-bit kernels (kvm-unit-tests style) and segment overrides. */
static const struct accepted kernel32[] = {
    { "movl $0,0xb0(%edx)", M32, BYTES(0xc7, 0x82, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), INSN_STORE_IMM, 4 },
    { "mov 0x300(%ebx),%eax", M32, BYTES(0x8b, 0x83, 0x00, 0x03, 0x00, 0x00), .size = 4 },
    { "mov (%eax,%ecx,4),%edx", M32, BYTES(0x8b, 0x14, 0x88), .size = 4, .reg = RDX },
    { "mov 0x12(%ebp),%eax", M32, BYTES(0x8b, 0x45, 0x12), .size = 4 },
    { "mov 0x0(%ebp),%eax", M32, BYTES(0x8b, 0x45, 0x00), .size = 4 },
    { "mov 0x12345678(,%esi,2),%al", M32, BYTES(0x8a, 0x04, 0x75, 0x78, 0x56, 0x34, 0x12), .size = 1 },
    /* mod 00 rm 101 is a plain disp32 outside 64-bit mode. */
    { "mov 0xfee00020,%ecx", M32, BYTES(0x8b, 0x0d, 0x20, 0x00, 0xe0, 0xfe), .size = 4, .reg = RCX },
    { "mov %es:(%edi),%eax", M32, BYTES(0x26, 0x8b, 0x07), .size = 4, SEG(SEG_ES) },
    { "mov %cs:0x10(%esi),%cl", M32, BYTES(0x2e, 0x8a, 0x4e, 0x10), .size = 1, .reg = RCX, SEG(SEG_CS) },
    { "mov %ss:(%eax),%eax", M32, BYTES(0x36, 0x8b, 0x00), .size = 4, SEG(SEG_SS) },
    { "movw $0x1234,(%eax)", M32, BYTES(0x66, 0xc7, 0x00, 0x34, 0x12), INSN_STORE_IMM, 2, .imm = 0x1234 },
    { "mov (%eax),%ax", M32, BYTES(0x66, 0x8b, 0x00), .size = 2 },
    { "movzbl 0x3(%ecx),%eax", M32, BYTES(0x0f, 0xb6, 0x41, 0x03), INSN_LOAD_ZX, 1, 4 },
    { "movswl (%eax),%ecx", M32, BYTES(0x0f, 0xbf, 0x08), INSN_LOAD_SX, 2, 4, .reg = RCX },
    { "xchg %dh,(%eax)", M32, BYTES(0x86, 0x30), INSN_XCHG, 1, .reg = RDX, .high_byte = true },
    { "xchg %ax,(%esi)", M32, BYTES(0x66, 0x87, 0x06), INSN_XCHG, 2 },
    { "addr16 mov (%bx,%si),%eax", M32, BYTES(0x67, 0x8b, 0x00), .size = 4 },
    /* In 64-bit mode, only FS and GS overrides take effect (SDM 2.1.1). */
    { "mov %fs:(%rax),%eax", M64, BYTES(0x64, 0x8b, 0x00), .size = 4, SEG(SEG_FS) },
    { "mov %gs:0x10,%rcx", M64, BYTES(0x65, 0x48, 0x8b, 0x0c, 0x25, 0x10, 0x00, 0x00, 0x00), .size = 8,
      .reg = RCX, SEG(SEG_GS) },
    { "mov %ds:(%rax),%eax", M64, BYTES(0x3e, 0x8b, 0x00), .size = 4 },
    { "mov %fs:(%rax),%eax (then ds)", M64, BYTES(0x64, 0x3e, 0x8b, 0x00), .size = 4, SEG(SEG_FS) },
    { "mov %es:(%eax),%eax (cs then es)", M32, BYTES(0x2e, 0x26, 0x8b, 0x00), .size = 4, SEG(SEG_ES) },
};

/* Real mode and 16-bit code: the 16-bit ModRM table, and 0x66/0x67 for 32-bit operands and addresses. */
static const struct accepted real16[] = {
    { "mov (%bx,%si),%ax", M16, BYTES(0x8b, 0x00), .size = 2 },
    { "mov (%bx,%di),%al", M16, BYTES(0x8a, 0x01), .size = 1 },
    { "mov 0x12(%bp,%si),%ax", M16, BYTES(0x8b, 0x42, 0x12), .size = 2 },
    { "mov %ax,0x1234(%bp,%di)", M16, BYTES(0x89, 0x83, 0x34, 0x12), INSN_STORE, 2 },
    { "mov (%si),%dx", M16, BYTES(0x8b, 0x14), .size = 2, .reg = RDX },
    { "mov (%di),%bl", M16, BYTES(0x8a, 0x1d), .size = 1, .reg = RBX },
    { "mov 0x1234,%dx (modrm)", M16, BYTES(0x8b, 0x16, 0x34, 0x12), .size = 2, .reg = RDX },
    { "mov 0x0(%bp),%ax", M16, BYTES(0x8b, 0x46, 0x00), .size = 2 },
    { "mov (%bx),%ah", M16, BYTES(0x8a, 0x27), .size = 1, .high_byte = true },
    { "mov %ch,0x55(%bx)", M16, BYTES(0x88, 0x6f, 0x55), INSN_STORE, 1, .reg = RCX, .high_byte = true },
    { "movw $0x5678,0x10(%bx)", M16, BYTES(0xc7, 0x47, 0x10, 0x78, 0x56), INSN_STORE_IMM, 2, .imm = 0x5678 },
    { "movl $0xfee00000,(%bx)", M16, BYTES(0x66, 0xc7, 0x07, 0x00, 0x00, 0xe0, 0xfe), INSN_STORE_IMM, 4,
      .imm = 0xfffffffffee00000ULL },
    { "movb $0x12,0x0(%bp)", M16, BYTES(0xc6, 0x46, 0x00, 0x12), INSN_STORE_IMM, 1, .imm = 0x12 },
    { "mov (%bx),%eax", M16, BYTES(0x66, 0x8b, 0x07), .size = 4 },
    { "mov %eax,(%si)", M16, BYTES(0x66, 0x89, 0x04), INSN_STORE, 4 },
    { "mov (%eax),%eax", M16, BYTES(0x67, 0x66, 0x8b, 0x00), .size = 4 },
    { "mov %edx,0xb0", M16, BYTES(0x66, 0x89, 0x16, 0xb0, 0x00), INSN_STORE, 4, .reg = RDX },
    { "addr32 mov %eax,0xfee000b0(,%ecx,4)", M16, BYTES(0x67, 0x66, 0x89, 0x04, 0x8d, 0xb0, 0x00, 0xe0, 0xfe),
      INSN_STORE, 4 },
    { "mov %es:(%di),%ax", M16, BYTES(0x26, 0x8b, 0x05), .size = 2, SEG(SEG_ES) },
    { "mov %fs:(%bx),%eax", M16, BYTES(0x64, 0x66, 0x8b, 0x07), .size = 4, SEG(SEG_FS) },
    { "movzbw (%bx),%ax", M16, BYTES(0x0f, 0xb6, 0x07), INSN_LOAD_ZX, 1, 2 },
    { "movzbl (%bx),%eax", M16, BYTES(0x66, 0x0f, 0xb6, 0x07), INSN_LOAD_ZX, 1, 4 },
    { "movsbw 0x2(%si),%dx", M16, BYTES(0x0f, 0xbe, 0x54, 0x02), INSN_LOAD_SX, 1, 2, .reg = RDX },
    { "xchg %ax,(%bx)", M16, BYTES(0x87, 0x07), INSN_XCHG, 2 },
};

/* OR, AND, CMP, TEST on device registers, as compilers emit them for `*reg |= bit` and busy-bit loops. */
#define ALU(op, first, imm) INSN_ALU, .alu = (op), .mem_first = (first), .imm_source = (imm)
static const struct accepted alu[] = {
    { "orl $0x100,0xf0(%rax)", M64, BYTES(0x81, 0x88, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00),
      ALU(ALU_OR, true, true), .size = 4, .imm = 0x100 },
    { "lock orl $0x1,(%rdi)", M64, BYTES(0xf0, 0x83, 0x0f, 0x01), ALU(ALU_OR, true, true), .size = 4, .imm = 1,
      .lock = true },
    { "andl $0xfffeffff,0x350(%rdx)", M64, BYTES(0x81, 0xa2, 0x50, 0x03, 0x00, 0x00, 0xff, 0xff, 0xfe, 0xff),
      ALU(ALU_AND, true, true), .size = 4, .imm = 0xfffffffffffeffffULL },
    { "andb $0x7f,(%rcx)", M64, BYTES(0x80, 0x21, 0x7f), ALU(ALU_AND, true, true), .size = 1, .imm = 0x7f },
    { "testl $0x1000,0x300(%rax)", M64, BYTES(0xf7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00),
      ALU(ALU_TEST, true, true), .size = 4, .imm = 0x1000 },
    { "testb $0x10,0x301(%rax)", M64, BYTES(0xf6, 0x80, 0x01, 0x03, 0x00, 0x00, 0x10), ALU(ALU_TEST, true, true),
      .size = 1, .imm = 0x10 },
    { "cmpl $0x0,0x20(%rbx)", M64, BYTES(0x83, 0x7b, 0x20, 0x00), ALU(ALU_CMP, true, true), .size = 4 },
    { "cmpq $-1,(%rax)", M64, BYTES(0x48, 0x83, 0x38, 0xff), ALU(ALU_CMP, true, true), .size = 8, .imm = ~0ULL },
    { "or %edx,(%rax)", M64, BYTES(0x09, 0x10), ALU(ALU_OR, true, false), .size = 4, .reg = RDX },
    { "or (%rax),%edx", M64, BYTES(0x0b, 0x10), ALU(ALU_OR, false, false), .size = 4, .reg = RDX },
    { "and %cl,(%rbx)", M64, BYTES(0x20, 0x0b), ALU(ALU_AND, true, false), .size = 1, .reg = RCX },
    { "and (%rbx),%ah", M64, BYTES(0x22, 0x23), ALU(ALU_AND, false, false), .size = 1, .high_byte = true },
    { "cmp %esi,0x10(%rdi)", M64, BYTES(0x39, 0x77, 0x10), ALU(ALU_CMP, true, false), .size = 4, .reg = RSI },
    { "cmp 0x10(%rdi),%r9", M64, BYTES(0x4c, 0x3b, 0x4f, 0x10), ALU(ALU_CMP, false, false), .size = 8, .reg = R9 },
    { "test %eax,(%rsi)", M64, BYTES(0x85, 0x06), ALU(ALU_TEST, true, false), .size = 4 },
    { "test %bh,(%rsi)", M64, BYTES(0x84, 0x3e), ALU(ALU_TEST, true, false), .size = 1, .reg = RBX,
      .high_byte = true },
    { "orw $0x8000,(%rax)", M64, BYTES(0x66, 0x81, 0x08, 0x00, 0x80), ALU(ALU_OR, true, true), .size = 2,
      .imm = 0xffffffffffff8000ULL },
    { "orq $0x80,(%rax)", M64, BYTES(0x48, 0x81, 0x08, 0x80, 0x00, 0x00, 0x00), ALU(ALU_OR, true, true), .size = 8,
      .imm = 0x80 },
    { "orl $0x100,0xfee000f0", M32, BYTES(0x81, 0x0d, 0xf0, 0x00, 0xe0, 0xfe, 0x00, 0x01, 0x00, 0x00),
      ALU(ALU_OR, true, true), .size = 4, .imm = 0x100 },
    { "testl $0x1000,0xfee00300", M32, BYTES(0xf7, 0x05, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x10, 0x00, 0x00),
      ALU(ALU_TEST, true, true), .size = 4, .imm = 0x1000 },
    { "testb $0x1,(%bx)", M16, BYTES(0xf6, 0x07, 0x01), ALU(ALU_TEST, true, true), .size = 1, .imm = 1 },
    { "cmpw $0x5,0x10(%si)", M16, BYTES(0x83, 0x7c, 0x10, 0x05), ALU(ALU_CMP, true, true), .size = 2, .imm = 5 },
};

static void check_table(const struct accepted *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct accepted *w = &t[i];
        u8 padded[INSN_MAX_LEN + 4];
        struct insn in;
        enum insn_status s = insn_decode(w->bytes, w->len, w->mode, &in);
        if (s != INSN_OK) {
            printf("    %s: %s\n", w->text, insn_status_name(s));
            unit_failed = 1;
            continue;
        }
        unsigned dst = w->dst_size ? w->dst_size : w->size;
        if (in.len != w->len || in.kind != w->kind || in.size != w->size || in.dst_size != dst ||
            (w->kind != INSN_STORE_IMM && !w->imm_source && (in.reg != w->reg || in.high_byte != w->high_byte)) ||
            (w->kind == INSN_ALU && (in.alu != w->alu || in.mem_first != w->mem_first ||
                                     in.imm_source != w->imm_source)) ||
            in.imm != w->imm || in.rip_relative != w->rip_relative || in.lock != w->lock ||
            in.seg_override != w->seg_override || (w->seg_override && in.seg != w->seg)) {
            printf("    %s: len %u kind %d size %u dst %u reg %d%s imm 0x%llx rip %d lock %d seg %d/%d\n", w->text,
                   in.len, in.kind, in.size, in.dst_size, in.reg, in.high_byte ? " high" : "",
                   (unsigned long long)in.imm, in.rip_relative, in.lock, in.seg_override, in.seg);
            unit_failed = 1;
        }
        /* Every shorter prefix of the bytes is truncated; bytes after the instruction change nothing. */
        for (unsigned k = 0; k < w->len; k++)
            CHECK_EQ(insn_decode(w->bytes, k, w->mode, &in), INSN_TRUNCATED);
        memset(padded, 0x8b, sizeof(padded));
        memcpy(padded, w->bytes, w->len);
        CHECK_EQ(insn_decode(padded, sizeof(padded), w->mode, &in), INSN_OK);
        CHECK_EQ(in.len, w->len);
    }
}

TEST(insn_decode_linux_mmio_accessors) { check_table(linux64, ARRAY_SIZE(linux64)); }
TEST(insn_decode_rex_sib_and_byte_registers) { check_table(rex64, ARRAY_SIZE(rex64)); }
TEST(insn_decode_movzx_movsx_xchg) { check_table(extend64, ARRAY_SIZE(extend64)); }
TEST(insn_decode_moffs_in_each_mode) { check_table(moffs, ARRAY_SIZE(moffs)); }
TEST(insn_decode_32bit_kernels_and_segments) { check_table(kernel32, ARRAY_SIZE(kernel32)); }
TEST(insn_decode_real_mode_and_16bit) { check_table(real16, ARRAY_SIZE(real16)); }
TEST(insn_decode_or_and_cmp_test) { check_table(alu, ARRAY_SIZE(alu)); }

/* Encodings the decoder must refuse, and why. */
struct refused {
    const char *text;
    enum insn_mode mode;
    u8 bytes[INSN_MAX_LEN + 1];
    u8 len;
    enum insn_status status;
};

static const struct refused refusals[] = {
    { "mov %eax,%ecx", M64, BYTES(0x89, 0xc1), INSN_REGISTER_OPERAND },
    { "mov %ecx,%eax (8b)", M32, BYTES(0x8b, 0xc1), INSN_REGISTER_OPERAND },
    { "movzbl %al,%eax", M64, BYTES(0x0f, 0xb6, 0xc0), INSN_REGISTER_OPERAND },
    { "xchg %eax,%ecx (87 c8)", M64, BYTES(0x87, 0xc8), INSN_REGISTER_OPERAND },
    { "mov $1,%eax (c7 c0)", M64, BYTES(0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00), INSN_REGISTER_OPERAND },
    { "xabort $0x1 (c6 /7)", M64, BYTES(0xc6, 0xf8, 0x01), INSN_UNKNOWN_OPCODE },
    { "c7 /1 (undefined)", M64, BYTES(0xc7, 0x08, 0, 0, 0, 0), INSN_UNKNOWN_OPCODE },
    { "add %eax,(%rbx)", M64, BYTES(0x01, 0x03), INSN_UNKNOWN_OPCODE },
    { "xorl $1,(%rax) (83 /6)", M64, BYTES(0x83, 0x30, 0x01), INSN_UNKNOWN_OPCODE },
    { "notl (%rax) (f7 /2)", M64, BYTES(0xf7, 0x10), INSN_UNKNOWN_OPCODE },
    { "or $1,%al (0c, no ModRM)", M64, BYTES(0x0c, 0x01), INSN_UNKNOWN_OPCODE },
    { "lock cmpl $0,(%rax)", M64, BYTES(0xf0, 0x83, 0x38, 0x00), INSN_BAD_PREFIX },
    { "lock testl %eax,(%rax)", M64, BYTES(0xf0, 0x85, 0x00), INSN_BAD_PREFIX },
    { "lock or (%rax),%eax (register destination)", M64, BYTES(0xf0, 0x0b, 0x00), INSN_BAD_PREFIX },
    { "rep orl $1,(%rax)", M64, BYTES(0xf3, 0x83, 0x08, 0x01), INSN_BAD_PREFIX },
    { "testl $1,%eax (f7 c0)", M64, BYTES(0xf7, 0xc0, 0x01, 0x00, 0x00, 0x00), INSN_REGISTER_OPERAND },
    { "movnti %eax,(%rbx)", M64, BYTES(0x0f, 0xc3, 0x03), INSN_UNKNOWN_OPCODE },
    { "movsl (rep string)", M32, BYTES(0xf3, 0xa5), INSN_UNKNOWN_OPCODE },
    { "vmovdqu (%rax),%ymm0 (VEX)", M64, BYTES(0xc5, 0xfe, 0x6f, 0x00), INSN_UNKNOWN_OPCODE },
    { "inc %eax, not REX, in 32-bit mode", M32, BYTES(0x48, 0x8b, 0x00), INSN_UNKNOWN_OPCODE },
    { "arpl outside 64-bit mode", M32, BYTES(0x63, 0x00), INSN_UNKNOWN_OPCODE },
    { "lock mov %eax,(%rdi)", M64, BYTES(0xf0, 0x89, 0x07), INSN_BAD_PREFIX },
    { "lock movl $0,(%rdi)", M64, BYTES(0xf0, 0xc7, 0x07, 0, 0, 0, 0), INSN_BAD_PREFIX },
    { "lock mov 0x0,%eax (moffs)", M32, BYTES(0xf0, 0xa1, 0, 0, 0, 0), INSN_BAD_PREFIX },
    { "rep mov (%rdi),%eax", M64, BYTES(0xf3, 0x8b, 0x07), INSN_BAD_PREFIX },
    { "repne mov %eax,(%rdi)", M64, BYTES(0xf2, 0x89, 0x07), INSN_BAD_PREFIX },
    { "rep movzbl (%rax),%eax", M64, BYTES(0xf3, 0x0f, 0xb6, 0x00), INSN_BAD_PREFIX },
    /* 15 bytes of prefixes and opcode, then a ModRM that would be the 16th byte. */
    { "14 prefixes + mov", M64, BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
      0x66, 0x8b, 0x00), INSN_TOO_LONG },
    { "11 prefixes + movl $0,0x0(%rax)", M64, BYTES(0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
      0x2e, 0xc7, 0x40, 0x00, 0x00, 0x00), INSN_TOO_LONG },
    { "nothing", M64, { 0 }, 0, INSN_TRUNCATED },
    { "prefixes only", M64, BYTES(0x66, 0x67, 0x48), INSN_TRUNCATED },
};

TEST(insn_decode_refusals)
{
    for (size_t i = 0; i < ARRAY_SIZE(refusals); i++) {
        const struct refused *r = &refusals[i];
        struct insn in;
        enum insn_status s = insn_decode(r->bytes, r->len, r->mode, &in);
        if (s != r->status) {
            printf("    %s: %s, not %s\n", r->text, insn_status_name(s), insn_status_name(r->status));
            unit_failed = 1;
        }
    }
}

TEST(insn_decode_bad_mode)
{
    static const u8 load[] = { 0x8b, 0x07 };
    struct insn in;
    CHECK_EQ(insn_decode(load, sizeof(load), (enum insn_mode)3, &in), INSN_BAD_MODE);
    CHECK_EQ(insn_decode(load, sizeof(load), (enum insn_mode)0, &in), INSN_BAD_MODE);
}

/* 15 bytes exactly is allowed: 5 prefixes and movl $imm32,disp32(%rax,%rax). */
TEST(insn_decode_fifteen_bytes)
{
    static const u8 b[] = { 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0xc7, 0x84, 0x00, 0x00, 0x03, 0x00, 0x00,
                            0x01, 0x00, 0x00, 0x00 };
    struct insn in;
    /* With a sixth prefix the immediate's last byte is byte 16: too long, however many bytes are given. */
    CHECK_EQ(insn_decode(b, 15, M64, &in), INSN_TOO_LONG);
    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), INSN_TOO_LONG);
    CHECK_EQ(insn_decode(b + 1, 15, M64, &in), INSN_OK);
    CHECK_EQ(in.len, 15);
    CHECK_EQ(in.imm, 1);
}

TEST(insn_format_bytes_for_the_report)
{
    static const u8 b[] = { 0x8b, 0x80, 0x00, 0x03, 0x00, 0x00 };
    char buf[32], small[6];
    CHECK_EQ(insn_format_bytes(buf, sizeof(buf), b, sizeof(b)), 17);
    CHECK_STR(buf, "8b 80 00 03 00 00");
    CHECK_EQ(insn_format_bytes(small, sizeof(small), b, sizeof(b)), 17);
    CHECK_STR(small, "8b 80");
    CHECK_EQ(insn_format_bytes(buf, sizeof(buf), b, 0), 0);
    CHECK_STR(buf, "");
    CHECK_STR(insn_status_name(INSN_REGISTER_OPERAND), "register operand");
    CHECK_STR(insn_status_name((enum insn_status)99), "unknown status");
}

/* The decode memo: the same bytes, count and mode give the remembered instruction; any difference decodes anew. */
TEST(insn_decode_memo_same_input_only)
{
    struct insn_memo m = { 0 };
    struct insn in;
    u8 load[] = { 0x8b, 0x86, 0x30, 0x00, 0x00, 0x00, 0xc3 };     /* mov 0x30(%rsi), %eax; ret */
    CHECK_EQ(insn_decode_memo(&m, load, sizeof load, INSN_MODE_64, &in), INSN_OK);
    CHECK(m.valid);
    CHECK_EQ(in.kind, INSN_LOAD);
    CHECK_EQ(in.len, 6);
    CHECK_EQ(in.reg, RAX);
    m.insn.reg = RBX;               /* marks the memo: an answer from it shows */
    CHECK_EQ(insn_decode_memo(&m, load, sizeof load, INSN_MODE_64, &in), INSN_OK);
    CHECK_EQ(in.reg, RBX);
    CHECK_EQ(insn_decode_memo(&m, load, sizeof load, INSN_MODE_32, &in), INSN_OK);    /* another mode */
    CHECK_EQ(in.reg, RAX);
    m.insn.reg = RBX;
    load[1] = 0x8e;                 /* mov 0x30(%rsi), %ecx: other bytes */
    CHECK_EQ(insn_decode_memo(&m, load, sizeof load, INSN_MODE_64, &in), INSN_OK);
    CHECK_EQ(in.reg, RCX);
    m.insn.reg = RBX;
    CHECK_EQ(insn_decode_memo(&m, load, 6, INSN_MODE_64, &in), INSN_OK);              /* another count */
    CHECK_EQ(in.reg, RCX);
    CHECK_EQ(insn_decode_memo(&m, load, 3, INSN_MODE_64, &in), INSN_TRUNCATED);       /* a failure forgets */
    CHECK(!m.valid);
    /* 15 bytes (the instruction and what follows it): a difference anywhere, even past the instruction, misses. */
    u8 page[15] = { 0x8b, 0x86, 0x30, 0x00, 0x00, 0x00, 0xc3, 1, 2, 3, 4, 5, 6, 7, 8 };
    for (unsigned at = 0; at < sizeof page; at++) {
        CHECK_EQ(insn_decode_memo(&m, page, sizeof page, INSN_MODE_64, &in), INSN_OK);
        m.insn.reg = RBX;
        CHECK_EQ(insn_decode_memo(&m, page, sizeof page, INSN_MODE_64, &in), INSN_OK);
        CHECK_EQ(in.reg, RBX);                                 /* the same bytes: from the memo */
        u8 changed[15];
        memcpy(changed, page, sizeof page);
        changed[at] ^= at < 6 ? 0x00 : 0x40;                  /* the instruction's own bytes stay (it decodes) */
        if (at < 6)
            continue;
        CHECK_EQ(insn_decode_memo(&m, changed, sizeof changed, INSN_MODE_64, &in), INSN_OK);
        CHECK_EQ(in.reg, RAX);                                 /* decoded anew */
    }
}
