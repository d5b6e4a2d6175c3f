/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the VMX vocabulary: encodings against the SDM, and the names a VMCS dump prints. */
#include "vcpu/vmx/vmx_names.h"
#include "unit.h"

TEST(vmx_names_exit_reasons)
{
    CHECK_STR(vmx_exit_reason_name(EXIT_REASON_EXCEPTION_NMI), "EXCEPTION_NMI");
    CHECK_STR(vmx_exit_reason_name(30), "IO_INSTRUCTION");
    CHECK_STR(vmx_exit_reason_name(48), "EPT_VIOLATION");
    CHECK_STR(vmx_exit_reason_name(33), "INVALID_GUEST_STATE");
    CHECK_STR(vmx_exit_reason_name(55), "XSETBV");
    CHECK_STR(vmx_exit_reason_name(35), "unknown");     /* Appendix C leaves 35, 38 and 42 unused */
    CHECK_STR(vmx_exit_reason_name(38), "unknown");
    CHECK_STR(vmx_exit_reason_name(42), "unknown");
    CHECK_STR(vmx_exit_reason_name(EXIT_REASON_COUNT), "unknown");
    CHECK_STR(vmx_exit_reason_name(0xFFFFFFFF), "unknown");
}

TEST(vmx_names_exit_reason_numbers_match_appendix_c)
{
    CHECK_EQ(EXIT_REASON_TRIPLE_FAULT, 2);
    CHECK_EQ(EXIT_REASON_SIPI, 4);
    CHECK_EQ(EXIT_REASON_CPUID, 10);
    CHECK_EQ(EXIT_REASON_HLT, 12);
    CHECK_EQ(EXIT_REASON_VMCALL, 18);
    CHECK_EQ(EXIT_REASON_VMXON, 27);
    CHECK_EQ(EXIT_REASON_CR_ACCESS, 28);
    CHECK_EQ(EXIT_REASON_RDMSR, 31);
    CHECK_EQ(EXIT_REASON_WRMSR, 32);
    CHECK_EQ(EXIT_REASON_MSR_LOADING, 34);
    CHECK_EQ(EXIT_REASON_MWAIT, 36);
    CHECK_EQ(EXIT_REASON_MACHINE_CHECK, 41);
    CHECK_EQ(EXIT_REASON_EPT_MISCONFIG, 49);
    CHECK_EQ(EXIT_REASON_PREEMPTION_TIMER, 52);
    CHECK_EQ(EXIT_REASON_XSAVES, 63);
}

TEST(vmx_names_instruction_errors)
{
    CHECK_STR(vmx_instruction_error_name(VMXERR_ENTRY_INVALID_CONTROLS), "VM entry with invalid control field(s)");
    CHECK_STR(vmx_instruction_error_name(8), "VM entry with invalid host-state field(s)");
    CHECK_STR(vmx_instruction_error_name(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
    CHECK_STR(vmx_instruction_error_name(28), "invalid operand to INVEPT/INVVPID");
    CHECK_EQ(VMXERR_VMPTRLD_BAD_REVISION, 11);
    CHECK_EQ(VMXERR_ENTRY_MOV_SS_BLOCKING, 26);
    CHECK_STR(vmx_instruction_error_name(0), "unknown VM-instruction error");
    CHECK_STR(vmx_instruction_error_name(14), "unknown VM-instruction error");
    CHECK_STR(vmx_instruction_error_name(29), "unknown VM-instruction error");
}

TEST(vmx_names_field_encodings_match_appendix_b)
{
    CHECK_EQ(VIRTUAL_PROCESSOR_ID, 0x0000);
    CHECK_EQ(GUEST_TR_SELECTOR, 0x080E);
    CHECK_EQ(HOST_TR_SELECTOR, 0x0C0C);
    CHECK_EQ(MSR_BITMAP, 0x2004);
    CHECK_EQ(EPT_POINTER, 0x201A);
    CHECK_EQ(GUEST_PHYSICAL_ADDRESS, 0x2400);
    CHECK_EQ(VMCS_LINK_POINTER, 0x2800);
    CHECK_EQ(GUEST_IA32_EFER, 0x2806);
    CHECK_EQ(HOST_IA32_EFER, 0x2C02);
    CHECK_EQ(SECONDARY_PROC_CONTROLS, 0x401E);
    CHECK_EQ(VM_EXIT_REASON, 0x4402);
    CHECK_EQ(VM_EXIT_INSTRUCTION_INFO, 0x440E);
    CHECK_EQ(GUEST_TR_AR, 0x4822);
    CHECK_EQ(VMX_PREEMPTION_TIMER_VALUE, 0x482E);
    CHECK_EQ(HOST_IA32_SYSENTER_CS, 0x4C00);
    CHECK_EQ(CR4_READ_SHADOW, 0x6006);
    CHECK_EQ(EXIT_QUALIFICATION, 0x6400);
    CHECK_EQ(GUEST_LINEAR_ADDRESS, 0x640A);
    CHECK_EQ(GUEST_RIP, 0x681E);
    CHECK_EQ(GUEST_IA32_SYSENTER_EIP, 0x6826);
    CHECK_EQ(HOST_RIP, 0x6C16);

    CHECK_EQ(VMCS_FIELD_WIDTH(GUEST_CS_SELECTOR), VMCS_WIDTH_16);
    CHECK_EQ(VMCS_FIELD_WIDTH(TSC_OFFSET), VMCS_WIDTH_64);
    CHECK_EQ(VMCS_FIELD_WIDTH(VM_EXIT_REASON), VMCS_WIDTH_32);
    CHECK_EQ(VMCS_FIELD_WIDTH(HOST_RSP), VMCS_WIDTH_NATURAL);
    CHECK_EQ(VMCS_FIELD_TYPE(EXIT_QUALIFICATION), VMCS_TYPE_EXIT_INFO);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The table is the enum: strictly ascending (so no duplicates), full-width accesses, types agree with names. */
TEST(vmx_names_field_table_is_consistent)
{
    CHECK_EQ(vmcs_field_count, 132);
    for (u32 i = 0; i < vmcs_field_count; i++) {
        u32 f = vmcs_field_table[i].field;
        const char *name = vmcs_field_table[i].name;

        if (i > 0)
            CHECK(vmcs_field_table[i - 1].field < f);
        CHECK_EQ(f & 1, 0);
        CHECK_EQ(f & ~0x6FFEu, 0);
        if (!strncmp(name, "HOST_", 5))
            CHECK_EQ(VMCS_FIELD_TYPE(f), VMCS_TYPE_HOST);
        if (!strncmp(name, "GUEST_", 6) && strcmp(name, "GUEST_PHYSICAL_ADDRESS") &&
            strcmp(name, "GUEST_LINEAR_ADDRESS"))
            CHECK_EQ(VMCS_FIELD_TYPE(f), VMCS_TYPE_GUEST);
        if (ends_with(name, "_SELECTOR"))
            CHECK_EQ(VMCS_FIELD_WIDTH(f), VMCS_WIDTH_16);
        if (ends_with(name, "_LIMIT") || ends_with(name, "_AR") || ends_with(name, "_CONTROLS") ||
            ends_with(name, "_COUNT"))
            CHECK_EQ(VMCS_FIELD_WIDTH(f), VMCS_WIDTH_32);
        if (ends_with(name, "_BASE") || strstr(name, "CR0") || strstr(name, "CR4"))
            CHECK_EQ(VMCS_FIELD_WIDTH(f), VMCS_WIDTH_NATURAL);
    }
}

struct dump_log {
    u32 printed;
    u32 bad_names;
    u64 guest_rip;
    bool saw_skipped;
};

/* A fake VMCS: every field reads as its encoding times 3, except the PDPTEs, which this "CPU" lacks. */
static u64 fake_read(void *ctx, u32 field, bool *ok)
{
    (void)ctx;
    *ok = !(field >= GUEST_PDPTE0 && field <= GUEST_PDPTE3);
    return *ok ? field * 3ULL : 0xdead;
}

/* The table's name for an encoding; NULL for one it lacks. */
static const char *table_name(u32 field)
{
    for (u32 i = 0; i < vmcs_field_count; i++)
        if (vmcs_field_table[i].field == field)
            return vmcs_field_table[i].name;
    return NULL;
}

static void record(void *ctx, const char *name, u32 field, u64 value)
{
    struct dump_log *log = ctx;

    log->printed++;
    if (!table_name(field) || strcmp(table_name(field), name) || value != field * 3ULL)
        log->bad_names++;
    if (field == GUEST_RIP)
        log->guest_rip = value;
    if (field == GUEST_PDPTE1)
        log->saw_skipped = true;
}

TEST(vmx_names_vmcs_dump_prints_each_readable_field)
{
    struct dump_log log = { 0 };

    vmcs_dump(fake_read, record, &log);
    CHECK_EQ(log.printed, vmcs_field_count - 4);
    CHECK_EQ(log.bad_names, 0);
    CHECK_EQ(log.guest_rip, 0x681E * 3);
    CHECK(!log.saw_skipped);
}

TEST(vmx_names_control_bits)
{
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_PROC2, PROC2_UNRESTRICTED_GUEST), "unrestricted guest");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_PROC2, BIT(1)), "enable EPT");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_PROC, BIT(7)), "HLT exiting");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_PROC, BIT(31)), "activate secondary controls");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_PIN, BIT(3)), "NMI exiting");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_EXIT, BIT(9)), "host address-space size");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_ENTRY, BIT(9)), "IA-32e mode guest");
    CHECK_STR(vmx_ctl_bit_name(VMX_CTL_ENTRY, BIT(15)), "load IA32_EFER");
    CHECK(vmx_ctl_bit_name(VMX_CTL_PIN, BIT(1)) == NULL);     /* a default1 bit with no name */
    CHECK(vmx_ctl_bit_name(VMX_CTL_WORDS, BIT(1)) == NULL);
    CHECK_STR(vmx_ctl_word_name(VMX_CTL_PROC), "primary processor-based");
    CHECK_STR(vmx_ctl_word_name(VMX_CTL_ENTRY), "VM-entry");
}
