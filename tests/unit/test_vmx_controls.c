/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for control words and fixed CR bits, with capability MSRs read from Bochs 2.7 CPU models. */
#include "vcpu/vmx/vmx_controls.h"
#include "unit.h"

/* Bochs corei7_haswell_4770, read with RDMSR at boot. */
#define HSW_BASIC           0x00d810000000002bULL
#define HSW_PINBASED        0x0000007f00000016ULL
#define HSW_PROCBASED       0xf7f9fffe0401e172ULL
#define HSW_EXIT            0x007fffff00036dffULL
#define HSW_ENTRY           0x0000ffff000011ffULL
#define HSW_MISC            0x00000000200401e0ULL
#define HSW_CR0_FIXED0      0x0000000080000021ULL
#define HSW_CR0_FIXED1      0x00000000ffffffffULL
#define HSW_CR4_FIXED0      0x0000000000002000ULL
#define HSW_CR4_FIXED1      0x00000000001727ffULL
#define HSW_PROCBASED2      0x00047fff00000000ULL
#define HSW_EPT_VPID        0x00000f0106334141ULL
#define HSW_TRUE_PINBASED   0x0000007f00000016ULL
#define HSW_TRUE_PROCBASED  0xf7f9fffe04006172ULL
#define HSW_TRUE_EXIT       0x007fffff00036dfbULL
#define HSW_TRUE_ENTRY      0x0000ffff000011fbULL

/* Bochs corei7_sandy_bridge_2600k differs in these (no 1 GiB EPT pages, no EPT A/D, no VM functions). */
#define SNB_PROCBASED2      0x000000ff00000000ULL
#define SNB_EPT_VPID        0x00000f0106114141ULL
/* Bochs corei7_skylake_x adds PML among others. */
#define SKX_PROCBASED2      0x02177fff00000000ULL

TEST(vmx_controls_basic_predicates_haswell)
{
    CHECK_EQ(vmx_basic_revision(HSW_BASIC), 0x2b);
    CHECK_EQ(vmx_basic_region_size(HSW_BASIC), 4096);
    CHECK_EQ(vmx_basic_memtype(HSW_BASIC), MEMTYPE_WB);
    CHECK(vmx_basic_has_true_ctls(HSW_BASIC));
    CHECK(vmx_basic_has_ins_outs_info(HSW_BASIC));
    CHECK(!vmx_basic_has_true_ctls(HSW_BASIC & ~VMX_BASIC_TRUE_CTLS));
    CHECK_EQ(vmx_basic_revision(0x80000004ULL), 4);     /* bit 31 is not part of the revision */
}

TEST(vmx_controls_misc_predicates_haswell)
{
    CHECK_EQ(vmx_misc_preemption_timer_shift(HSW_MISC), 0);
    CHECK(HSW_MISC & VMX_MISC_STORES_LMA);
    CHECK(HSW_MISC & VMX_MISC_ACTIVITY_HLT);
    CHECK(HSW_MISC & VMX_MISC_ACTIVITY_WAIT_SIPI);
    CHECK_EQ(vmx_misc_cr3_targets(HSW_MISC), 4);
    CHECK_EQ(vmx_misc_max_msr_list(HSW_MISC), 512);
}

TEST(vmx_controls_ept_vpid_caps_haswell_vs_sandy_bridge)
{
    CHECK(ept_cap_has_walk4(HSW_EPT_VPID));
    CHECK(ept_cap_has_wb(HSW_EPT_VPID));
    CHECK(ept_cap_has_uc(HSW_EPT_VPID));
    CHECK(ept_cap_has_2m(HSW_EPT_VPID));
    CHECK(ept_cap_has_1g(HSW_EPT_VPID));
    CHECK(ept_cap_has_ad(HSW_EPT_VPID));
    CHECK(ept_cap_has_invept_single(HSW_EPT_VPID));
    CHECK(ept_cap_has_invept_all(HSW_EPT_VPID));
    CHECK(vpid_cap_has_invvpid(HSW_EPT_VPID));
    CHECK(vpid_cap_has_invvpid_addr(HSW_EPT_VPID));
    CHECK(vpid_cap_has_invvpid_single(HSW_EPT_VPID));
    CHECK(vpid_cap_has_invvpid_all(HSW_EPT_VPID));

    CHECK(ept_cap_has_2m(SNB_EPT_VPID));
    CHECK(!ept_cap_has_1g(SNB_EPT_VPID));
    CHECK(!ept_cap_has_ad(SNB_EPT_VPID));
    CHECK(ept_cap_has_invept_all(SNB_EPT_VPID));
    /* A type bit without the INVEPT bit itself does not make the instruction available. */
    CHECK(!ept_cap_has_invept_single(HSW_EPT_VPID & ~EPT_CAP_INVEPT));
    CHECK(!vpid_cap_has_invvpid_all(HSW_EPT_VPID & ~VPID_CAP_INVVPID));
}

TEST(vmx_controls_cap_msr_prefers_true_msrs)
{
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PIN, HSW_BASIC), 0x48D);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC, HSW_BASIC), 0x48E);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC2, HSW_BASIC), 0x48B);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_EXIT, HSW_BASIC), 0x48F);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_ENTRY, HSW_BASIC), 0x490);

    u64 old_cpu = HSW_BASIC & ~VMX_BASIC_TRUE_CTLS;
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PIN, old_cpu), 0x481);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC, old_cpu), 0x482);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC2, old_cpu), 0x48B);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_EXIT, old_cpu), 0x483);
    CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_ENTRY, old_cpu), 0x484);
}

TEST(vmx_controls_optional_msrs_exist)
{
    CHECK(vmx_has_secondary_ctls(HSW_TRUE_PROCBASED));
    CHECK(!vmx_has_secondary_ctls(HSW_TRUE_PROCBASED & ~((u64)PROC_ACTIVATE_SECONDARY << 32)));
    CHECK(vmx_has_ept_vpid_cap(HSW_PROCBASED2));
    CHECK(vmx_has_vmfunc_cap(HSW_PROCBASED2));
    CHECK(!vmx_has_vmfunc_cap(SNB_PROCBASED2));         /* reading IA32_VMX_VMFUNC faults on this model */
}

TEST(vmx_controls_words_for_haswell)
{
    u32 v, missing;

    /* Pin: the default1 bits 1, 2 and 4 come along. */
    CHECK(vmx_ctl_compute(HSW_TRUE_PINBASED, PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, 0,
                          &v, &missing));
    CHECK_EQ(v, 0x3f);
    CHECK_EQ(missing, 0);

    /* Primary: with the TRUE MSR, CR3-load/store exiting (default1) may stay 0. */
    u32 proc = PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY;
    CHECK(vmx_ctl_compute(HSW_TRUE_PROCBASED, proc, 0, &v, &missing));
    CHECK_EQ(v, 0x960061f2);
    CHECK_EQ(v & (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING), 0);
    CHECK(vmx_ctl_compute(HSW_PROCBASED, proc, 0, &v, &missing));
    CHECK_EQ(v, 0x9601e1f2);

    /* Secondary: EPT + unrestricted guest required, VPID wanted when present. */
    CHECK(vmx_ctl_compute(HSW_PROCBASED2, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST, PROC2_ENABLE_VPID,
                          &v, &missing));
    CHECK_EQ(v, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST | PROC2_ENABLE_VPID);

    u32 exit = EXIT_CTL_HOST_ADDR_SPACE_SIZE | EXIT_CTL_ACK_INTR_ON_EXIT | EXIT_CTL_SAVE_IA32_PAT |
               EXIT_CTL_LOAD_IA32_PAT | EXIT_CTL_SAVE_IA32_EFER | EXIT_CTL_LOAD_IA32_EFER;
    CHECK(vmx_ctl_compute(HSW_TRUE_EXIT, exit, 0, &v, &missing));
    CHECK_EQ(v, 0x3feffb);

    CHECK(vmx_ctl_compute(HSW_TRUE_ENTRY, ENTRY_CTL_IA32E_MODE_GUEST | ENTRY_CTL_LOAD_IA32_PAT |
                          ENTRY_CTL_LOAD_IA32_EFER, 0, &v, &missing));
    CHECK_EQ(v, 0xd3fb);
}

TEST(vmx_controls_refuses_what_the_cpu_lacks)
{
    u32 v, missing;

    CHECK(!vmx_ctl_compute(HSW_TRUE_PINBASED, PIN_NMI_EXITING | PIN_POSTED_INTERRUPTS, 0, &v, &missing));
    CHECK_EQ(missing, PIN_POSTED_INTERRUPTS);
    CHECK_EQ(v, 0x1e);                                   /* the rest is still computed */

    CHECK(!vmx_ctl_compute(HSW_PROCBASED2, PROC2_ENABLE_EPT | PROC2_ENABLE_PML, 0, &v, &missing));
    CHECK_EQ(missing, PROC2_ENABLE_PML);
    CHECK(vmx_ctl_compute(SKX_PROCBASED2, PROC2_ENABLE_EPT | PROC2_ENABLE_PML, 0, &v, &missing));
    CHECK_EQ(v, PROC2_ENABLE_EPT | PROC2_ENABLE_PML);

    /* Optional bits never fail. */
    CHECK(vmx_ctl_compute(SNB_PROCBASED2, PROC2_ENABLE_EPT, PROC2_ENABLE_VMFUNC | PROC2_ENABLE_VPID, &v, &missing));
    CHECK_EQ(v, PROC2_ENABLE_EPT | PROC2_ENABLE_VPID);

    CHECK(!vmx_ctl_compute(HSW_TRUE_ENTRY, ENTRY_CTL_LOAD_IA32_BNDCFGS, 0, &v, &missing));
    CHECK_EQ(missing, ENTRY_CTL_LOAD_IA32_BNDCFGS);

    /* No secondary controls at all (a synthetic early-VT-x CPU). */
    CHECK(!vmx_ctl_compute(0, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST, 0, &v, &missing));
    CHECK_EQ(missing, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST);
    CHECK_EQ(v, 0);
}

TEST(vmx_controls_malformed_msr_must_be_1_not_allowed)
{
    u32 v, missing;

    /* Synthetic: bit 4 must be 1 but is not allowed to be 1; no setting passes VM entry. */
    CHECK(!vmx_ctl_compute(0x0000000f00000010ULL, BIT(0), 0, &v, &missing));
    CHECK_EQ(missing, BIT(4));
    CHECK_EQ(v, BIT(0));
}

TEST(vmx_controls_describe_names_missing_bits)
{
    char buf[96];

    CHECK_EQ(vmx_ctl_describe(VMX_CTL_PROC2, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST, buf, sizeof buf), 30);
    CHECK_STR(buf, "enable EPT, unrestricted guest");
    vmx_ctl_describe(VMX_CTL_PIN, BIT(1) | PIN_POSTED_INTERRUPTS, buf, sizeof buf);
    CHECK_STR(buf, "bit 1, process posted interrupts");
    vmx_ctl_describe(VMX_CTL_PROC2, BIT(29), buf, sizeof buf);
    CHECK_STR(buf, "bit 29");
    CHECK_EQ(vmx_ctl_describe(VMX_CTL_EXIT, 0, buf, sizeof buf), 0);
    CHECK_STR(buf, "");

    char tiny[8];
    CHECK_EQ(vmx_ctl_describe(VMX_CTL_PROC, PROC_HLT_EXITING, tiny, sizeof tiny), 11);
    CHECK_STR(tiny, "HLT exi");                         /* truncated, still terminated */
}

TEST(vmx_controls_cr_fixed_bits_haswell)
{
    struct vmx_cr_fixed cr0 = { HSW_CR0_FIXED0, HSW_CR0_FIXED1 }, cr4 = { HSW_CR4_FIXED0, HSW_CR4_FIXED1 };

    /* The host: a 64-bit kernel's CR0 passes; CR4 needs VMXE before VMXON. */
    CHECK_EQ(vmx_cr_bad_bits(0x80050033, cr0), 0);
    CHECK_EQ(vmx_cr_bad_bits(0x000006a0, cr4), CR4_VMXE);
    CHECK_EQ(vmx_cr_fix(0x000006a0, cr4), 0x000026a0);
    CHECK_EQ(vmx_cr_bad_bits(0x000026a0, cr4), 0);
    /* CR4 bits this model does not allow: PKE (22) and CET (23) are not in FIXED1. */
    CHECK_EQ(vmx_cr_bad_bits(0x00402020, cr4), BIT(22));
    CHECK_EQ(vmx_cr_fix(0x00c02020, cr4), 0x2020);
    /* Reserved high CR0 bits must be 0. */
    CHECK_EQ(vmx_cr_bad_bits(0x100000000ULL | 0x80000021, cr0), 0x100000000ULL);
}

TEST(vmx_controls_guest_cr0_unrestricted_relaxation)
{
    struct vmx_cr_fixed cr0 = { HSW_CR0_FIXED0, HSW_CR0_FIXED1 };

    /* Real mode (CR0.ET only) is fine for an unrestricted guest once NE is forced... */
    struct vmx_cr_fixed g = vmx_cr0_fixed_for_guest(cr0, true);
    CHECK_EQ(g.fixed0, CR0_NE);
    CHECK_EQ(vmx_cr_fix(0x10, g), 0x30);
    CHECK_EQ(vmx_cr_bad_bits(0x30, g), 0);
    CHECK_EQ(vmx_cr_bad_bits(0x10, g), CR0_NE);
    /* Protection and paging the guest turns on pass through as it wrote them. */
    CHECK_EQ(vmx_cr_fix(0x80000031, g), 0x80000031);
    CHECK_EQ(vmx_cr_fix(0x31, g), 0x31);
    /* ...but without the control real mode is not allowed. */
    CHECK_EQ(vmx_cr_bad_bits(0x30, vmx_cr0_fixed_for_guest(cr0, false)), CR0_PE | CR0_PG);
    CHECK_EQ(vmx_cr0_fixed_for_guest(cr0, false).fixed0, HSW_CR0_FIXED0);
}
