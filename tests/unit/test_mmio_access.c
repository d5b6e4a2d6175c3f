/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for an emulated MMIO instruction: bus accesses and the register operand, from real encodings. */
#include "unit.h"
#include "kernel/x86_regs.h"
#include "vcpu/mmio_access.h"

#define BASE 0xFEC00000ULL

struct regs16 {
    u8 bytes[16];
    unsigned reads, writes;
    unsigned last_size;
};

static u64 dev_read(void *dev, u64 off, unsigned size)
{
    struct regs16 *d = dev;
    u64 v = 0;
    d->reads++;
    d->last_size = size;
    for (unsigned i = 0; i < size; i++)
        v |= (u64)d->bytes[off + i] << (8 * i);
    return v | ~mmio_size_mask(size);       /* junk above size: the caller masks */
}

static void dev_write(void *dev, u64 off, unsigned size, u64 value)
{
    struct regs16 *d = dev;
    d->writes++;
    d->last_size = size;
    for (unsigned i = 0; i < size; i++)
        d->bytes[off + i] = (u8)(value >> (8 * i));
}

static struct mmiobus bus_with(struct regs16 *d)
{
    struct mmiobus bus;
    mmiobus_init(&bus);
    struct mmio_region r = { BASE, BASE + 15, dev_read, dev_write, d, "regs" };
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OK);
    return bus;
}

/* Decodes `bytes` in `mode` (the test's encodings come from GNU as) and runs it at gpa. */
static enum mmiobus_status run(const u8 *bytes, unsigned n, enum insn_mode mode, u64 gpa, const struct mmiobus *bus,
                               u64 *reg)
{
    struct insn in;
    u64 rflags = 0;
    CHECK_EQ(insn_decode(bytes, n, mode, &in), INSN_OK);
    return mmio_access_run(&in, gpa, bus, reg, &rflags);
}

TEST(mmio_access_loads_merge_as_the_instruction_writes)
{
    struct regs16 d = { .bytes = { 0x11, 0x22, 0x33, 0x84, 0x55, 0x66, 0x77, 0x88 } };
    struct mmiobus bus = bus_with(&d);
    u64 rax = 0xAAAAAAAAAAAAAAAAULL;
    static const u8 mov_eax[] = { 0x8b, 0x00 };                 /* mov (%rax),%eax: 32-bit zero-extends */
    CHECK_EQ(run(mov_eax, sizeof mov_eax, INSN_MODE_64, BASE, &bus, &rax), MMIOBUS_OK);
    CHECK_EQ(rax, 0x84332211ULL);
    CHECK_EQ(d.last_size, 4);
    rax = 0xAAAAAAAAAAAAAAAAULL;
    static const u8 mov_ax[] = { 0x66, 0x8b, 0x00 };            /* mov (%rax),%ax: 16-bit merges */
    CHECK_EQ(run(mov_ax, sizeof mov_ax, INSN_MODE_64, BASE, &bus, &rax), MMIOBUS_OK);
    CHECK_EQ(rax, 0xAAAAAAAAAAAA2211ULL);
    static const u8 mov_ah[] = { 0x8a, 0x20 };                  /* mov (%rax),%ah: bits 15:8 */
    rax = 0xAAAAAAAAAAAAAAAAULL;
    CHECK_EQ(run(mov_ah, sizeof mov_ah, INSN_MODE_64, BASE + 3, &bus, &rax), MMIOBUS_OK);
    CHECK_EQ(rax, 0xAAAAAAAAAAAA84AAULL);
    static const u8 mov_rax[] = { 0x48, 0x8b, 0x00 };           /* mov (%rax),%rax */
    CHECK_EQ(run(mov_rax, sizeof mov_rax, INSN_MODE_64, BASE, &bus, &rax), MMIOBUS_OK);
    CHECK_EQ(rax, 0x8877665584332211ULL);
}

TEST(mmio_access_extending_loads)
{
    struct regs16 d = { .bytes = { 0x80, 0xFF, 0x7F } };
    struct mmiobus bus = bus_with(&d);
    u64 reg = ~0ULL;
    static const u8 movzbl[] = { 0x0f, 0xb6, 0x00 };            /* movzbl (%rax),%eax */
    CHECK_EQ(run(movzbl, sizeof movzbl, INSN_MODE_64, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0x80);
    static const u8 movsbl[] = { 0x0f, 0xbe, 0x00 };            /* movsbl (%rax),%eax: 32-bit, zero-extended */
    CHECK_EQ(run(movsbl, sizeof movsbl, INSN_MODE_64, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0xFFFFFF80ULL);
    static const u8 movswq[] = { 0x48, 0x0f, 0xbf, 0x00 };      /* movswq (%rax),%rax */
    CHECK_EQ(run(movswq, sizeof movswq, INSN_MODE_64, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0xFFFFFFFFFFFFFF80ULL);
    reg = 0x1234567800000000ULL;
    static const u8 movzwl16[] = { 0x66, 0x0f, 0xb6, 0x00 };    /* movzbw (%rax),%ax: merges 16 bits */
    CHECK_EQ(run(movzwl16, sizeof movzwl16, INSN_MODE_64, BASE + 2, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0x123456780000007FULL);
}

TEST(mmio_access_stores_write_the_low_bytes)
{
    struct regs16 d = { 0 };
    struct mmiobus bus = bus_with(&d);
    u64 reg = 0x1122334455667788ULL;
    static const u8 mov_edx[] = { 0x89, 0x91, 0xb0, 0x00, 0x00, 0x00 };     /* mov %edx,0xb0(%rcx) */
    CHECK_EQ(run(mov_edx, sizeof mov_edx, INSN_MODE_64, BASE + 4, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(d.bytes[4], 0x88);
    CHECK_EQ(d.bytes[7], 0x55);
    CHECK_EQ(d.bytes[8], 0);
    CHECK_EQ(reg, 0x1122334455667788ULL);                       /* a store leaves the register alone */
    static const u8 mov_bh[] = { 0x88, 0x38 };                  /* mov %bh,(%rax) */
    CHECK_EQ(run(mov_bh, sizeof mov_bh, INSN_MODE_64, BASE + 8, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(d.bytes[8], 0x77);
    static const u8 movl_imm[] = { 0xc7, 0x40, 0x0c, 0xfe, 0xff, 0xff, 0xff };   /* movl $-2,0xc(%rax) */
    CHECK_EQ(run(movl_imm, sizeof movl_imm, INSN_MODE_64, BASE + 12, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(d.bytes[12], 0xFE);
    CHECK_EQ(d.bytes[15], 0xFF);
    CHECK_EQ(d.last_size, 4);
}

TEST(mmio_access_xchg_reads_then_writes)
{
    struct regs16 d = { .bytes = { 0xEF, 0xBE, 0xAD, 0xDE } };
    struct mmiobus bus = bus_with(&d);
    u64 reg = 0x0000000012345678ULL;
    static const u8 xchg[] = { 0x87, 0x08 };                    /* xchg %ecx,(%rax) */
    CHECK_EQ(run(xchg, sizeof xchg, INSN_MODE_64, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0xDEADBEEFULL);
    CHECK_EQ(d.bytes[0], 0x78);
    CHECK_EQ(d.bytes[3], 0x12);
    CHECK_EQ(d.reads, 1);
    CHECK_EQ(d.writes, 1);
}

TEST(mmio_access_nothing_there_and_straddles)
{
    struct regs16 d = { 0 };
    struct mmiobus bus = bus_with(&d);
    u64 reg = 0;
    static const u8 mov_eax[] = { 0x8b, 0x00 };
    CHECK_EQ(run(mov_eax, sizeof mov_eax, INSN_MODE_64, BASE + 0x1000, &bus, &reg), MMIOBUS_UNCLAIMED);
    CHECK_EQ(reg, 0xFFFFFFFFULL);                               /* all ones, zero-extended by the 32-bit load */
    static const u8 mov_store[] = { 0x89, 0x00 };
    CHECK_EQ(run(mov_store, sizeof mov_store, INSN_MODE_64, BASE + 0x1000, &bus, &reg), MMIOBUS_UNCLAIMED);
    CHECK_EQ(d.writes, 0);
    reg = 5;
    CHECK_EQ(run(mov_eax, sizeof mov_eax, INSN_MODE_64, BASE + 14, &bus, &reg), MMIOBUS_STRADDLE);
    CHECK_EQ(reg, 5);                                           /* touched nothing */
    CHECK_EQ(d.reads, 0);
}

TEST(mmio_access_32_bit_and_16_bit_code)
{
    struct regs16 d = { .bytes = { 0x44, 0x33, 0x22, 0x11 } };
    struct mmiobus bus = bus_with(&d);
    u64 reg = 0xFFFFFFFF00000000ULL;
    static const u8 mov32[] = { 0x8b, 0x15, 0x00, 0x00, 0xc0, 0xfe };   /* 32-bit: mov 0xfec00000,%edx */
    CHECK_EQ(run(mov32, sizeof mov32, INSN_MODE_32, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0x11223344ULL);
    reg = 0;
    static const u8 mov16[] = { 0x66, 0x67, 0x8b, 0x07 };       /* 16-bit: mov (%ebx),%eax with both prefixes */
    CHECK_EQ(run(mov16, sizeof mov16, INSN_MODE_16, BASE, &bus, &reg), MMIOBUS_OK);
    CHECK_EQ(reg, 0x11223344ULL);
}

TEST(mmio_access_alu_reads_once_and_writes_its_first_operand)
{
    struct regs16 d = { .bytes = { 0x0F, 0x00, 0x00, 0x00 } };
    struct mmiobus bus = bus_with(&d);
    struct insn in;
    u64 reg = 0xF0, rflags = 0;
    static const u8 or_mem[] = { 0x09, 0x08 };                  /* or %ecx,(%rax): memory |= ecx */
    CHECK_EQ(insn_decode(or_mem, sizeof or_mem, INSN_MODE_64, &in), INSN_OK);
    CHECK_EQ(mmio_access_run(&in, BASE, &bus, &reg, &rflags), MMIOBUS_OK);
    CHECK_EQ(d.bytes[0], 0xFF);
    CHECK_EQ(reg, 0xF0);
    CHECK_EQ(d.reads, 1);
    CHECK_EQ(d.writes, 1);
    static const u8 test_imm[] = { 0xf7, 0x00, 0x00, 0x01, 0x00, 0x00 };   /* testl $0x100,(%rax) */
    CHECK_EQ(insn_decode(test_imm, sizeof test_imm, INSN_MODE_64, &in), INSN_OK);
    CHECK_EQ(mmio_access_run(&in, BASE, &bus, &reg, &rflags), MMIOBUS_OK);
    CHECK(rflags & RFLAGS_ZF);                                  /* bit 8 clear in 0xFF */
    CHECK_EQ(d.writes, 1);                                      /* TEST writes nothing */
    static const u8 and_reg[] = { 0x23, 0x08 };                 /* and (%rax),%ecx: ecx &= memory */
    reg = 0xFFFFFFFF0000003CULL;
    CHECK_EQ(insn_decode(and_reg, sizeof and_reg, INSN_MODE_64, &in), INSN_OK);
    CHECK_EQ(mmio_access_run(&in, BASE, &bus, &reg, &rflags), MMIOBUS_OK);
    CHECK_EQ(reg, 0x3C);                                        /* 32-bit result zero-extends */
    CHECK_EQ(d.writes, 1);
}
