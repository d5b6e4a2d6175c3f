/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for exit decoding, with qualifications built by hand from the SDM's tables for real instructions. */
#include "vcpu/exit_decode.h"
#include "unit.h"

TEST(exit_decode_reason_flags)
{
    struct exit_reason r = exit_decode_reason(0x80000021);     /* VM entry failed: invalid guest state */
    CHECK_EQ(r.basic, EXIT_REASON_INVALID_GUEST_STATE);
    CHECK(r.entry_failure);
    CHECK(!r.from_vmx_root && !r.pending_mtf && !r.enclave);

    r = exit_decode_reason(48);
    CHECK_EQ(r.basic, EXIT_REASON_EPT_VIOLATION);
    CHECK(!r.entry_failure);

    r = exit_decode_reason(0x1000000c);                         /* HLT with an MTF exit pending */
    CHECK_EQ(r.basic, EXIT_REASON_HLT);
    CHECK(r.pending_mtf);
    CHECK(!r.entry_failure);

    r = exit_decode_reason(0x28000006);
    CHECK_EQ(r.basic, EXIT_REASON_OTHER_SMI);
    CHECK(r.from_vmx_root);
    CHECK(r.enclave);
}

TEST(exit_decode_io_out_dx_al)
{
    struct io_exit io;

    /* out %al, (%dx) with DX = 0x3f8: size 1, OUT, DX operand. */
    CHECK(exit_decode_io(0x03f80000, 0, true, &io));
    CHECK_EQ(io.port, 0x3f8);
    CHECK_EQ(io.size, 1);
    CHECK(!io.in && !io.string && !io.rep && !io.immediate && !io.addr_known);

    /* Reserved bits 63:32 do not leak into the port. */
    CHECK(exit_decode_io(0xffffffff03f80000ULL, 0, true, &io));
    CHECK_EQ(io.port, 0x3f8);
}

TEST(exit_decode_io_in_imm_and_widths)
{
    struct io_exit io;

    /* in $0x71, %eax: size 4, IN, immediate. */
    CHECK(exit_decode_io(0x0071004b, 0, true, &io));
    CHECK_EQ(io.port, 0x71);
    CHECK_EQ(io.size, 4);
    CHECK(io.in && io.immediate && !io.string);

    /* inw (%dx), %ax with DX = 0xcfc. */
    CHECK(exit_decode_io(0x0cfc0009, 0, true, &io));
    CHECK_EQ(io.port, 0xcfc);
    CHECK_EQ(io.size, 2);
    CHECK(io.in && !io.immediate);

    /* Size encoding 2 is "not used". */
    CHECK(!exit_decode_io(0x03f80002, 0, true, &io));
}

TEST(exit_decode_io_string_forms)
{
    struct io_exit io;

    /* rep outsw %fs:(%esi), (%dx) with DX = 0x3f8: 32-bit addressing (1 << 7), FS (4 << 15). */
    CHECK(exit_decode_io(0x03f80031, 0x00020080, true, &io));
    CHECK_EQ(io.port, 0x3f8);
    CHECK_EQ(io.size, 2);
    CHECK(!io.in && io.string && io.rep);
    CHECK(io.addr_known);
    CHECK_EQ(io.addr_size, 4);
    CHECK_EQ(io.segment, SEG_FS);

    /* rep insl (%dx), %es:(%rdi) in 64-bit mode; the segment bits are undefined for INS and ignored. */
    CHECK(exit_decode_io(0x0060003b, (2 << 7) | (5 << 15), true, &io));
    CHECK_EQ(io.size, 4);
    CHECK(io.in && io.string && io.rep);
    CHECK_EQ(io.addr_size, 8);
    CHECK_EQ(io.segment, SEG_ES);

    /* outsb from DS:SI in real mode. */
    CHECK(exit_decode_io(0x00800010, (0 << 7) | (3 << 15), true, &io));
    CHECK_EQ(io.size, 1);
    CHECK(!io.rep);
    CHECK_EQ(io.addr_size, 2);
    CHECK_EQ(io.segment, SEG_DS);

    /* Without IA32_VMX_BASIC[54] the field is not there: the address size stays unknown. */
    CHECK(exit_decode_io(0x03f80031, 0x00020080, false, &io));
    CHECK(io.string && !io.addr_known);
    CHECK_EQ(io.addr_size, 0);
    CHECK_EQ(io.segment, SEG_DS);           /* OUTS defaults to DS without the field, */
    CHECK(exit_decode_io(0x03f80039, 0, false, &io));
    CHECK_EQ(io.segment, SEG_ES);           /* INS always uses ES */

    /* Unused address size (3) and segment (6) encodings. */
    CHECK(!exit_decode_io(0x03f80031, 3 << 7, true, &io));
    CHECK(!exit_decode_io(0x03f80031, (1 << 7) | (6 << 15), true, &io));
}

TEST(exit_decode_cr_mov)
{
    struct cr_exit cr = exit_decode_cr(0x303);                  /* mov %rbx, %cr3 */
    CHECK_EQ(cr.cr, 3);
    CHECK_EQ(cr.access, CR_MOV_TO);
    CHECK_EQ(cr.gpr, 3);

    cr = exit_decode_cr(0xc14);                                 /* mov %cr4, %r12 */
    CHECK_EQ(cr.cr, 4);
    CHECK_EQ(cr.access, CR_MOV_FROM);
    CHECK_EQ(cr.gpr, 12);

    cr = exit_decode_cr(0x408);                                 /* mov %rsp, %cr8 */
    CHECK_EQ(cr.cr, 8);
    CHECK_EQ(cr.access, CR_MOV_TO);
    CHECK_EQ(cr.gpr, 4);

    cr = exit_decode_cr(0xf00);                                 /* mov %r15, %cr0 */
    CHECK_EQ(cr.cr, 0);
    CHECK_EQ(cr.gpr, 15);
    CHECK(!cr.lmsw_memory);
    CHECK_EQ(cr.lmsw_data, 0);
}

TEST(exit_decode_cr_clts_lmsw)
{
    struct cr_exit cr = exit_decode_cr(0x20);                   /* clts */
    CHECK_EQ(cr.cr, 0);
    CHECK_EQ(cr.access, CR_CLTS);
    CHECK_EQ(cr.gpr, 0);

    cr = exit_decode_cr(0x00010030);                            /* lmsw %ax with AX = 1 */
    CHECK_EQ(cr.access, CR_LMSW);
    CHECK(!cr.lmsw_memory);
    CHECK_EQ(cr.lmsw_data, 1);

    cr = exit_decode_cr(0xfff10770);                            /* lmsw from memory; bits 11:8 mean nothing */
    CHECK_EQ(cr.access, CR_LMSW);
    CHECK(cr.lmsw_memory);
    CHECK_EQ(cr.lmsw_data, 0xfff1);
    CHECK_EQ(cr.gpr, 0);
}

TEST(exit_decode_ept_violation_write_to_read_only)
{
    /* A write to a read+execute page, through a linear address that translates to it. */
    struct ept_violation v = exit_decode_ept_violation(0x1aa, 0xfee00030, 0xffffffff80000030ULL);
    CHECK(v.write && !v.read && !v.fetch);
    CHECK(v.readable && !v.writable && v.executable);
    CHECK(v.gla_valid && v.gla_translated);
    CHECK_EQ(v.gpa, 0xfee00030);
    CHECK_EQ(v.gla, 0xffffffff80000030ULL);
    CHECK(!v.nmi_unblocking);
}

TEST(exit_decode_ept_violation_other_forms)
{
    /* An instruction fetch that hit an unmapped guest page table during the page walk. */
    struct ept_violation v = exit_decode_ept_violation(0x84, 0x4000123, 0x401000);
    CHECK(v.fetch && !v.read && !v.write);
    CHECK(!v.readable && !v.writable && !v.executable);
    CHECK(v.gla_valid && !v.gla_translated);
    CHECK_EQ(v.gla, 0x401000);

    /* A read with no linear address (e.g. PDPTE loading): the linear address field is junk and dropped. */
    v = exit_decode_ept_violation(0x1101, 0x4000000, 0xdeadbeef);
    CHECK(v.read);
    CHECK(!v.gla_valid && !v.gla_translated);
    CHECK_EQ(v.gla, 0);
    CHECK(v.nmi_unblocking);
}

TEST(exit_decode_interruption_info)
{
    struct intr_info i = exit_decode_intr_info(0x80000b0e);     /* #PF with an error code */
    CHECK(i.valid);
    CHECK_EQ(i.vector, 14);
    CHECK_EQ(i.type, INTR_TYPE_HW_EXCEPTION);
    CHECK(i.error_code_valid);
    CHECK(!i.nmi_unblocking);

    i = exit_decode_intr_info(0x80001202);                      /* NMI, with NMI unblocking by IRET */
    CHECK_EQ(i.vector, 2);
    CHECK_EQ(i.type, INTR_TYPE_NMI);
    CHECK(!i.error_code_valid);
    CHECK(i.nmi_unblocking);

    i = exit_decode_intr_info(0x80000020);                      /* external interrupt 0x20 */
    CHECK_EQ(i.type, INTR_TYPE_EXTERNAL);
    CHECK_EQ(i.vector, 0x20);

    i = exit_decode_intr_info(0x00000b0e);                      /* valid bit clear: nothing was delivered */
    CHECK(!i.valid);
}

TEST(exit_decode_interruption_info_encode)
{
    CHECK_EQ(intr_info_encode(13, INTR_TYPE_HW_EXCEPTION, true), 0x80000b0d);   /* #GP(error code) */
    CHECK_EQ(intr_info_encode(6, INTR_TYPE_HW_EXCEPTION, false), 0x80000306);   /* #UD */
    CHECK_EQ(intr_info_encode(0x80, INTR_TYPE_SW_INTERRUPT, false), 0x80000480);
    CHECK_EQ(intr_info_encode(2, INTR_TYPE_NMI, false), 0x80000202);

    struct intr_info i = exit_decode_intr_info(intr_info_encode(0xef, INTR_TYPE_EXTERNAL, false));
    CHECK(i.valid);
    CHECK_EQ(i.vector, 0xef);
    CHECK_EQ(i.type, INTR_TYPE_EXTERNAL);
}
