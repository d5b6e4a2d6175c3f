/* SPDX-License-Identifier: BSD-2-Clause */
/* The VMX vocabulary: VMCS encodings, control bits, exit reasons, errors and capabilities, as the SDM groups them. */
#ifndef VCPU_VMX_VMX_DEFS_H
#define VCPU_VMX_VMX_DEFS_H

#include "kernel/types.h"

/*
 * Section numbers follow the SDM Vol. 3C of 2023 and later (chapter 25 = VMCS, 28 = VM exits, 29 = EPT,
 * 31 = VMX instructions); editions before that number these chapters one lower. Appendices keep their letters.
 */

/* ---- VMCS component encodings (25.11.2, Appendix B) ---- */

/* Bits 14:13 of an encoding give the field's width; bits 11:10 its type; bit 0 selects the high half. */
enum vmcs_width { VMCS_WIDTH_16 = 0, VMCS_WIDTH_64 = 1, VMCS_WIDTH_32 = 2, VMCS_WIDTH_NATURAL = 3 };
enum vmcs_type { VMCS_TYPE_CONTROL = 0, VMCS_TYPE_EXIT_INFO = 1, VMCS_TYPE_GUEST = 2, VMCS_TYPE_HOST = 3 };

#define VMCS_FIELD_WIDTH(f) (((f) >> 13) & 3)
#define VMCS_FIELD_TYPE(f)  (((f) >> 10) & 3)

/* X(name, encoding): expands once into the enum below and once into the name table in vmx_names.c. */
#define VMCS_FIELDS(X)                                          \
    /* 16-Bit Control Fields */                                 \
    X(VIRTUAL_PROCESSOR_ID,             0x0000)                 \
    /* 16-Bit Guest-State Fields */                             \
    X(GUEST_ES_SELECTOR,                0x0800)                 \
    X(GUEST_CS_SELECTOR,                0x0802)                 \
    X(GUEST_SS_SELECTOR,                0x0804)                 \
    X(GUEST_DS_SELECTOR,                0x0806)                 \
    X(GUEST_FS_SELECTOR,                0x0808)                 \
    X(GUEST_GS_SELECTOR,                0x080A)                 \
    X(GUEST_LDTR_SELECTOR,              0x080C)                 \
    X(GUEST_TR_SELECTOR,                0x080E)                 \
    /* 16-Bit Host-State Fields */                              \
    X(HOST_ES_SELECTOR,                 0x0C00)                 \
    X(HOST_CS_SELECTOR,                 0x0C02)                 \
    X(HOST_SS_SELECTOR,                 0x0C04)                 \
    X(HOST_DS_SELECTOR,                 0x0C06)                 \
    X(HOST_FS_SELECTOR,                 0x0C08)                 \
    X(HOST_GS_SELECTOR,                 0x0C0A)                 \
    X(HOST_TR_SELECTOR,                 0x0C0C)                 \
    /* 64-Bit Control Fields */                                 \
    X(IO_BITMAP_A,                      0x2000)                 \
    X(IO_BITMAP_B,                      0x2002)                 \
    X(MSR_BITMAP,                       0x2004)                 \
    X(VM_EXIT_MSR_STORE_ADDR,           0x2006)                 \
    X(VM_EXIT_MSR_LOAD_ADDR,            0x2008)                 \
    X(VM_ENTRY_MSR_LOAD_ADDR,           0x200A)                 \
    X(TSC_OFFSET,                       0x2010)                 \
    X(VIRTUAL_APIC_PAGE_ADDR,           0x2012)                 \
    X(EPT_POINTER,                      0x201A)                 \
    /* 64-Bit Read-Only Data Field */                           \
    X(GUEST_PHYSICAL_ADDRESS,           0x2400)                 \
    /* 64-Bit Guest-State Fields */                             \
    X(VMCS_LINK_POINTER,                0x2800)                 \
    X(GUEST_IA32_DEBUGCTL,              0x2802)                 \
    X(GUEST_IA32_PAT,                   0x2804)                 \
    X(GUEST_IA32_EFER,                  0x2806)                 \
    X(GUEST_IA32_PERF_GLOBAL_CTRL,      0x2808)                 \
    X(GUEST_PDPTE0,                     0x280A)                 \
    X(GUEST_PDPTE1,                     0x280C)                 \
    X(GUEST_PDPTE2,                     0x280E)                 \
    X(GUEST_PDPTE3,                     0x2810)                 \
    /* 64-Bit Host-State Fields */                              \
    X(HOST_IA32_PAT,                    0x2C00)                 \
    X(HOST_IA32_EFER,                   0x2C02)                 \
    X(HOST_IA32_PERF_GLOBAL_CTRL,       0x2C04)                 \
    /* 32-Bit Control Fields */                                 \
    X(PIN_BASED_CONTROLS,               0x4000)                 \
    X(PRIMARY_PROC_CONTROLS,            0x4002)                 \
    X(EXCEPTION_BITMAP,                 0x4004)                 \
    X(PAGE_FAULT_ERROR_CODE_MASK,       0x4006)                 \
    X(PAGE_FAULT_ERROR_CODE_MATCH,      0x4008)                 \
    X(CR3_TARGET_COUNT,                 0x400A)                 \
    X(VM_EXIT_CONTROLS,                 0x400C)                 \
    X(VM_EXIT_MSR_STORE_COUNT,          0x400E)                 \
    X(VM_EXIT_MSR_LOAD_COUNT,           0x4010)                 \
    X(VM_ENTRY_CONTROLS,                0x4012)                 \
    X(VM_ENTRY_MSR_LOAD_COUNT,          0x4014)                 \
    X(VM_ENTRY_INTR_INFO,               0x4016)                 \
    X(VM_ENTRY_EXCEPTION_ERROR_CODE,    0x4018)                 \
    X(VM_ENTRY_INSTRUCTION_LEN,         0x401A)                 \
    X(TPR_THRESHOLD,                    0x401C)                 \
    X(SECONDARY_PROC_CONTROLS,          0x401E)                 \
    /* 32-Bit Read-Only Data Fields */                          \
    X(VM_INSTRUCTION_ERROR,             0x4400)                 \
    X(VM_EXIT_REASON,                   0x4402)                 \
    X(VM_EXIT_INTR_INFO,                0x4404)                 \
    X(VM_EXIT_INTR_ERROR_CODE,          0x4406)                 \
    X(IDT_VECTORING_INFO,               0x4408)                 \
    X(IDT_VECTORING_ERROR_CODE,         0x440A)                 \
    X(VM_EXIT_INSTRUCTION_LEN,          0x440C)                 \
    X(VM_EXIT_INSTRUCTION_INFO,         0x440E)                 \
    /* 32-Bit Guest-State Fields */                             \
    X(GUEST_ES_LIMIT,                   0x4800)                 \
    X(GUEST_CS_LIMIT,                   0x4802)                 \
    X(GUEST_SS_LIMIT,                   0x4804)                 \
    X(GUEST_DS_LIMIT,                   0x4806)                 \
    X(GUEST_FS_LIMIT,                   0x4808)                 \
    X(GUEST_GS_LIMIT,                   0x480A)                 \
    X(GUEST_LDTR_LIMIT,                 0x480C)                 \
    X(GUEST_TR_LIMIT,                   0x480E)                 \
    X(GUEST_GDTR_LIMIT,                 0x4810)                 \
    X(GUEST_IDTR_LIMIT,                 0x4812)                 \
    X(GUEST_ES_AR,                      0x4814)                 \
    X(GUEST_CS_AR,                      0x4816)                 \
    X(GUEST_SS_AR,                      0x4818)                 \
    X(GUEST_DS_AR,                      0x481A)                 \
    X(GUEST_FS_AR,                      0x481C)                 \
    X(GUEST_GS_AR,                      0x481E)                 \
    X(GUEST_LDTR_AR,                    0x4820)                 \
    X(GUEST_TR_AR,                      0x4822)                 \
    X(GUEST_INTERRUPTIBILITY,           0x4824)                 \
    X(GUEST_ACTIVITY_STATE,             0x4826)                 \
    X(GUEST_SMBASE,                     0x4828)                 \
    X(GUEST_IA32_SYSENTER_CS,           0x482A)                 \
    X(VMX_PREEMPTION_TIMER_VALUE,       0x482E)                 \
    /* 32-Bit Host-State Field */                               \
    X(HOST_IA32_SYSENTER_CS,            0x4C00)                 \
    /* Natural-Width Control Fields */                          \
    X(CR0_GUEST_HOST_MASK,              0x6000)                 \
    X(CR4_GUEST_HOST_MASK,              0x6002)                 \
    X(CR0_READ_SHADOW,                  0x6004)                 \
    X(CR4_READ_SHADOW,                  0x6006)                 \
    X(CR3_TARGET_VALUE0,                0x6008)                 \
    X(CR3_TARGET_VALUE1,                0x600A)                 \
    X(CR3_TARGET_VALUE2,                0x600C)                 \
    X(CR3_TARGET_VALUE3,                0x600E)                 \
    /* Natural-Width Read-Only Data Fields */                   \
    X(EXIT_QUALIFICATION,               0x6400)                 \
    X(IO_RCX,                           0x6402)                 \
    X(IO_RSI,                           0x6404)                 \
    X(IO_RDI,                           0x6406)                 \
    X(IO_RIP,                           0x6408)                 \
    X(GUEST_LINEAR_ADDRESS,             0x640A)                 \
    /* Natural-Width Guest-State Fields */                      \
    X(GUEST_CR0,                        0x6800)                 \
    X(GUEST_CR3,                        0x6802)                 \
    X(GUEST_CR4,                        0x6804)                 \
    X(GUEST_ES_BASE,                    0x6806)                 \
    X(GUEST_CS_BASE,                    0x6808)                 \
    X(GUEST_SS_BASE,                    0x680A)                 \
    X(GUEST_DS_BASE,                    0x680C)                 \
    X(GUEST_FS_BASE,                    0x680E)                 \
    X(GUEST_GS_BASE,                    0x6810)                 \
    X(GUEST_LDTR_BASE,                  0x6812)                 \
    X(GUEST_TR_BASE,                    0x6814)                 \
    X(GUEST_GDTR_BASE,                  0x6816)                 \
    X(GUEST_IDTR_BASE,                  0x6818)                 \
    X(GUEST_DR7,                        0x681A)                 \
    X(GUEST_RSP,                        0x681C)                 \
    X(GUEST_RIP,                        0x681E)                 \
    X(GUEST_RFLAGS,                     0x6820)                 \
    X(GUEST_PENDING_DBG_EXCEPTIONS,     0x6822)                 \
    X(GUEST_IA32_SYSENTER_ESP,          0x6824)                 \
    X(GUEST_IA32_SYSENTER_EIP,          0x6826)                 \
    /* Natural-Width Host-State Fields */                       \
    X(HOST_CR0,                         0x6C00)                 \
    X(HOST_CR3,                         0x6C02)                 \
    X(HOST_CR4,                         0x6C04)                 \
    X(HOST_FS_BASE,                     0x6C06)                 \
    X(HOST_GS_BASE,                     0x6C08)                 \
    X(HOST_TR_BASE,                     0x6C0A)                 \
    X(HOST_GDTR_BASE,                   0x6C0C)                 \
    X(HOST_IDTR_BASE,                   0x6C0E)                 \
    X(HOST_IA32_SYSENTER_ESP,           0x6C10)                 \
    X(HOST_IA32_SYSENTER_EIP,           0x6C12)                 \
    X(HOST_RSP,                         0x6C14)                 \
    X(HOST_RIP,                         0x6C16)

#define VMCS_FIELD_ENUM(name, enc) name = enc,
enum vmcs_field { VMCS_FIELDS(VMCS_FIELD_ENUM) };
#undef VMCS_FIELD_ENUM

/* The five VMX control words, each computed from its own capability MSR (vcpu/vmx_controls.h). */
enum vmx_ctl_word { VMX_CTL_PIN, VMX_CTL_PROC, VMX_CTL_PROC2, VMX_CTL_EXIT, VMX_CTL_ENTRY, VMX_CTL_WORDS };

/* ---- Pin-based VM-execution controls (25.6.1) ---- */
#define PIN_EXTINT_EXITING              BIT(0)
#define PIN_NMI_EXITING                 BIT(3)
#define PIN_VIRTUAL_NMIS                BIT(5)
#define PIN_PREEMPTION_TIMER            BIT(6)
#define PIN_POSTED_INTERRUPTS           BIT(7)

/* ---- Primary processor-based VM-execution controls (25.6.2) ---- */
#define PROC_INTR_WINDOW_EXITING        BIT(2)
#define PROC_USE_TSC_OFFSETTING         BIT(3)
#define PROC_HLT_EXITING                BIT(7)
#define PROC_INVLPG_EXITING             BIT(9)
#define PROC_MWAIT_EXITING              BIT(10)
#define PROC_RDPMC_EXITING              BIT(11)
#define PROC_RDTSC_EXITING              BIT(12)
#define PROC_CR3_LOAD_EXITING           BIT(15)
#define PROC_CR3_STORE_EXITING          BIT(16)
#define PROC_ACTIVATE_TERTIARY          BIT(17)
#define PROC_CR8_LOAD_EXITING           BIT(19)
#define PROC_CR8_STORE_EXITING          BIT(20)
#define PROC_USE_TPR_SHADOW             BIT(21)
#define PROC_NMI_WINDOW_EXITING         BIT(22)
#define PROC_MOV_DR_EXITING             BIT(23)
#define PROC_UNCOND_IO_EXITING          BIT(24)
#define PROC_USE_IO_BITMAPS             BIT(25)
#define PROC_MONITOR_TRAP_FLAG          BIT(27)
#define PROC_USE_MSR_BITMAPS            BIT(28)
#define PROC_MONITOR_EXITING            BIT(29)
#define PROC_PAUSE_EXITING              BIT(30)
#define PROC_ACTIVATE_SECONDARY         BIT(31)

/* ---- Secondary processor-based VM-execution controls (25.6.2) ---- */
#define PROC2_VIRTUALIZE_APIC_ACCESSES  BIT(0)
#define PROC2_ENABLE_EPT                BIT(1)
#define PROC2_DESCRIPTOR_TABLE_EXITING  BIT(2)
#define PROC2_ENABLE_RDTSCP             BIT(3)
#define PROC2_VIRTUALIZE_X2APIC         BIT(4)
#define PROC2_ENABLE_VPID               BIT(5)
#define PROC2_WBINVD_EXITING            BIT(6)
#define PROC2_UNRESTRICTED_GUEST        BIT(7)
#define PROC2_APIC_REGISTER_VIRT        BIT(8)
#define PROC2_VIRTUAL_INTR_DELIVERY     BIT(9)
#define PROC2_PAUSE_LOOP_EXITING        BIT(10)
#define PROC2_RDRAND_EXITING            BIT(11)
#define PROC2_ENABLE_INVPCID            BIT(12)
#define PROC2_ENABLE_VMFUNC             BIT(13)
#define PROC2_VMCS_SHADOWING            BIT(14)
#define PROC2_ENCLS_EXITING             BIT(15)
#define PROC2_RDSEED_EXITING            BIT(16)
#define PROC2_ENABLE_PML                BIT(17)
#define PROC2_EPT_VIOLATION_VE          BIT(18)
#define PROC2_CONCEAL_VMX_FROM_PT       BIT(19)
#define PROC2_ENABLE_XSAVES             BIT(20)
#define PROC2_MODE_BASED_EPT_EXEC       BIT(22)
#define PROC2_USE_TSC_SCALING           BIT(25)
#define PROC2_ENABLE_USER_WAIT_PAUSE    BIT(26)

/* ---- VM-exit controls (25.7.1) ---- */
#define EXIT_CTL_SAVE_DEBUG_CONTROLS    BIT(2)
#define EXIT_CTL_HOST_ADDR_SPACE_SIZE   BIT(9)
#define EXIT_CTL_LOAD_PERF_GLOBAL_CTRL  BIT(12)
#define EXIT_CTL_ACK_INTR_ON_EXIT       BIT(15)
#define EXIT_CTL_SAVE_IA32_PAT          BIT(18)
#define EXIT_CTL_LOAD_IA32_PAT          BIT(19)
#define EXIT_CTL_SAVE_IA32_EFER         BIT(20)
#define EXIT_CTL_LOAD_IA32_EFER         BIT(21)
#define EXIT_CTL_SAVE_PREEMPTION_TIMER  BIT(22)
#define EXIT_CTL_CLEAR_IA32_BNDCFGS     BIT(23)
#define EXIT_CTL_CONCEAL_VMX_FROM_PT    BIT(24)

/* ---- VM-entry controls (25.8.1) ---- */
#define ENTRY_CTL_LOAD_DEBUG_CONTROLS   BIT(2)
#define ENTRY_CTL_IA32E_MODE_GUEST      BIT(9)
#define ENTRY_CTL_ENTRY_TO_SMM          BIT(10)
#define ENTRY_CTL_DEACTIVATE_DUAL_MON   BIT(11)
#define ENTRY_CTL_LOAD_PERF_GLOBAL_CTRL BIT(13)
#define ENTRY_CTL_LOAD_IA32_PAT         BIT(14)
#define ENTRY_CTL_LOAD_IA32_EFER        BIT(15)
#define ENTRY_CTL_LOAD_IA32_BNDCFGS     BIT(16)
#define ENTRY_CTL_CONCEAL_VMX_FROM_PT   BIT(17)

/* ---- Basic exit reasons (Appendix C); X(name, number) ---- */
#define VMX_EXIT_REASONS(X)                                     \
    X(EXCEPTION_NMI,            0)                              \
    X(EXTERNAL_INTERRUPT,       1)                              \
    X(TRIPLE_FAULT,             2)                              \
    X(INIT_SIGNAL,              3)                              \
    X(SIPI,                     4)                              \
    X(IO_SMI,                   5)                              \
    X(OTHER_SMI,                6)                              \
    X(INTERRUPT_WINDOW,         7)                              \
    X(NMI_WINDOW,               8)                              \
    X(TASK_SWITCH,              9)                              \
    X(CPUID,                    10)                             \
    X(GETSEC,                   11)                             \
    X(HLT,                      12)                             \
    X(INVD,                     13)                             \
    X(INVLPG,                   14)                             \
    X(RDPMC,                    15)                             \
    X(RDTSC,                    16)                             \
    X(RSM,                      17)                             \
    X(VMCALL,                   18)                             \
    X(VMCLEAR,                  19)                             \
    X(VMLAUNCH,                 20)                             \
    X(VMPTRLD,                  21)                             \
    X(VMPTRST,                  22)                             \
    X(VMREAD,                   23)                             \
    X(VMRESUME,                 24)                             \
    X(VMWRITE,                  25)                             \
    X(VMXOFF,                   26)                             \
    X(VMXON,                    27)                             \
    X(CR_ACCESS,                28)                             \
    X(DR_ACCESS,                29)                             \
    X(IO_INSTRUCTION,           30)                             \
    X(RDMSR,                    31)                             \
    X(WRMSR,                    32)                             \
    X(INVALID_GUEST_STATE,      33)                             \
    X(MSR_LOADING,              34)                             \
    X(MWAIT,                    36)                             \
    X(MONITOR_TRAP_FLAG,        37)                             \
    X(MONITOR,                  39)                             \
    X(PAUSE,                    40)                             \
    X(MACHINE_CHECK,            41)                             \
    X(TPR_BELOW_THRESHOLD,      43)                             \
    X(APIC_ACCESS,              44)                             \
    X(VIRTUALIZED_EOI,          45)                             \
    X(GDTR_IDTR_ACCESS,         46)                             \
    X(LDTR_TR_ACCESS,           47)                             \
    X(EPT_VIOLATION,            48)                             \
    X(EPT_MISCONFIG,            49)                             \
    X(INVEPT,                   50)                             \
    X(RDTSCP,                   51)                             \
    X(PREEMPTION_TIMER,         52)                             \
    X(INVVPID,                  53)                             \
    X(WBINVD,                   54)                             \
    X(XSETBV,                   55)                             \
    X(APIC_WRITE,               56)                             \
    X(RDRAND,                   57)                             \
    X(INVPCID,                  58)                             \
    X(VMFUNC,                   59)                             \
    X(ENCLS,                    60)                             \
    X(RDSEED,                   61)                             \
    X(PML_FULL,                 62)                             \
    X(XSAVES,                   63)                             \
    X(XRSTORS,                  64)                             \
    X(PCONFIG,                  65)                             \
    X(SPP_EVENT,                66)                             \
    X(UMWAIT,                   67)                             \
    X(TPAUSE,                   68)                             \
    X(LOADIWKEY,                69)                             \
    X(ENCLV,                    70)

#define VMX_EXIT_REASON_ENUM(name, nr) EXIT_REASON_##name = nr,
enum vmx_exit_reason { VMX_EXIT_REASONS(VMX_EXIT_REASON_ENUM) EXIT_REASON_COUNT };
#undef VMX_EXIT_REASON_ENUM

/* Exit-reason field (25.9.1): the basic reason in bits 15:0, flags above. */
#define EXIT_REASON_BASIC_MASK          0xFFFFu
#define EXIT_REASON_ENCLAVE             BIT(27)
#define EXIT_REASON_PENDING_MTF         BIT(28)
#define EXIT_REASON_FROM_VMX_ROOT       BIT(29)
#define EXIT_REASON_ENTRY_FAILURE       BIT(31)

/* ---- VM-instruction error numbers (31.4); X(name, number, SDM text) ---- */
#define VMX_INSTRUCTION_ERRORS(X)                                                                   \
    X(VMCALL_IN_ROOT,               1,  "VMCALL executed in VMX root operation")                    \
    X(VMCLEAR_INVALID_ADDR,         2,  "VMCLEAR with invalid physical address")                    \
    X(VMCLEAR_VMXON_PTR,            3,  "VMCLEAR with VMXON pointer")                               \
    X(VMLAUNCH_NOT_CLEAR,           4,  "VMLAUNCH with non-clear VMCS")                             \
    X(VMRESUME_NOT_LAUNCHED,        5,  "VMRESUME with non-launched VMCS")                          \
    X(VMRESUME_AFTER_VMXOFF,        6,  "VMRESUME after VMXOFF")                                    \
    X(ENTRY_INVALID_CONTROLS,       7,  "VM entry with invalid control field(s)")                   \
    X(ENTRY_INVALID_HOST_STATE,     8,  "VM entry with invalid host-state field(s)")                \
    X(VMPTRLD_INVALID_ADDR,         9,  "VMPTRLD with invalid physical address")                    \
    X(VMPTRLD_VMXON_PTR,            10, "VMPTRLD with VMXON pointer")                               \
    X(VMPTRLD_BAD_REVISION,         11, "VMPTRLD with incorrect VMCS revision identifier")          \
    X(UNSUPPORTED_FIELD,            12, "VMREAD/VMWRITE from/to unsupported VMCS component")        \
    X(VMWRITE_READ_ONLY,            13, "VMWRITE to read-only VMCS component")                      \
    X(VMXON_IN_ROOT,                15, "VMXON executed in VMX root operation")                     \
    X(ENTRY_INVALID_EXEC_VMCS,      16, "VM entry with invalid executive-VMCS pointer")             \
    X(ENTRY_EXEC_VMCS_NOT_LAUNCHED, 17, "VM entry with non-launched executive VMCS")                \
    X(ENTRY_EXEC_VMCS_NOT_VMXON,    18, "VM entry with executive-VMCS pointer not VMXON pointer")   \
    X(VMCALL_NOT_CLEAR,             19, "VMCALL with non-clear VMCS")                               \
    X(VMCALL_INVALID_EXIT_CTLS,     20, "VMCALL with invalid VM-exit control fields")               \
    X(VMCALL_BAD_MSEG_REVISION,     22, "VMCALL with incorrect MSEG revision identifier")           \
    X(VMXOFF_DUAL_MONITOR,          23, "VMXOFF under dual-monitor treatment of SMIs and SMM")      \
    X(VMCALL_INVALID_SMM_FEATURES,  24, "VMCALL with invalid SMM-monitor features")                 \
    X(ENTRY_INVALID_EXEC_CTLS,      25, "VM entry with invalid VM-execution control fields in executive VMCS") \
    X(ENTRY_MOV_SS_BLOCKING,        26, "VM entry with events blocked by MOV SS")                   \
    X(INVALID_INVEPT_INVVPID,       28, "invalid operand to INVEPT/INVVPID")

#define VMX_INSTRUCTION_ERROR_ENUM(name, nr, text) VMXERR_##name = nr,
enum vmx_instruction_error { VMX_INSTRUCTION_ERRORS(VMX_INSTRUCTION_ERROR_ENUM) };
#undef VMX_INSTRUCTION_ERROR_ENUM

/* ---- Capability MSRs (Appendix A); IA32_FEATURE_CONTROL (24.7) is in kernel/msr.h ---- */
#define MSR_IA32_VMX_BASIC              0x480
#define MSR_IA32_VMX_PINBASED_CTLS      0x481
#define MSR_IA32_VMX_PROCBASED_CTLS     0x482
#define MSR_IA32_VMX_EXIT_CTLS          0x483
#define MSR_IA32_VMX_ENTRY_CTLS         0x484
#define MSR_IA32_VMX_MISC               0x485
#define MSR_IA32_VMX_CR0_FIXED0         0x486
#define MSR_IA32_VMX_CR0_FIXED1         0x487
#define MSR_IA32_VMX_CR4_FIXED0         0x488
#define MSR_IA32_VMX_CR4_FIXED1         0x489
#define MSR_IA32_VMX_VMCS_ENUM          0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2    0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP       0x48C
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS     0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS    0x490
#define MSR_IA32_VMX_VMFUNC             0x491

/* IA32_VMX_BASIC (A.1). */
#define VMX_BASIC_REVISION_MASK         0x7FFFFFFFu
#define VMX_BASIC_ADDR_WIDTH_32         BIT(48)
#define VMX_BASIC_MEMTYPE_SHIFT         50
#define VMX_BASIC_INS_OUTS_INFO         BIT(54)
#define VMX_BASIC_TRUE_CTLS             BIT(55)

static inline u32 vmx_basic_revision(u64 basic) { return (u32)basic & VMX_BASIC_REVISION_MASK; }
static inline u32 vmx_basic_region_size(u64 basic) { return (u32)(basic >> 32) & 0x1FFF; }
static inline u32 vmx_basic_memtype(u64 basic) { return (u32)(basic >> VMX_BASIC_MEMTYPE_SHIFT) & 0xF; }
static inline bool vmx_basic_has_true_ctls(u64 basic) { return basic & VMX_BASIC_TRUE_CTLS; }
/* INS/OUTS exits report address size and segment in the VM-exit instruction-information field (28.2). */
static inline bool vmx_basic_has_ins_outs_info(u64 basic) { return basic & VMX_BASIC_INS_OUTS_INFO; }

/* A control capability MSR: bits 31:0 are the allowed-0 settings, bits 63:32 the allowed-1 settings (A.3). */
static inline u32 vmx_ctl_must_be_1(u64 cap) { return (u32)cap; }
static inline u32 vmx_ctl_may_be_1(u64 cap) { return (u32)(cap >> 32); }
static inline bool vmx_ctl_allows(u64 cap, u32 bits) { return (vmx_ctl_may_be_1(cap) & bits) == bits; }

/* IA32_VMX_MISC (A.6). */
#define VMX_MISC_STORES_LMA             BIT(5)
#define VMX_MISC_ACTIVITY_HLT           BIT(6)
#define VMX_MISC_ACTIVITY_SHUTDOWN      BIT(7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI     BIT(8)

static inline u32 vmx_misc_preemption_timer_shift(u64 misc) { return (u32)misc & 0x1F; }
static inline u32 vmx_misc_cr3_targets(u64 misc) { return (u32)(misc >> 16) & 0x1FF; }
/* The recommended maximum of entries in each MSR load/store list: 512 * (N + 1). */
static inline u32 vmx_misc_max_msr_list(u64 misc) { return 512 * (((u32)(misc >> 25) & 7) + 1); }

/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define EPT_CAP_EXECUTE_ONLY            BIT(0)
#define EPT_CAP_WALK_4                  BIT(6)
#define EPT_CAP_UC                      BIT(8)
#define EPT_CAP_WB                      BIT(14)
#define EPT_CAP_2M                      BIT(16)
#define EPT_CAP_1G                      BIT(17)
#define EPT_CAP_INVEPT                  BIT(20)
#define EPT_CAP_AD                      BIT(21)
#define EPT_CAP_INVEPT_SINGLE           BIT(25)
#define EPT_CAP_INVEPT_ALL              BIT(26)
#define VPID_CAP_INVVPID                BIT(32)
#define VPID_CAP_INVVPID_ADDR           BIT(40)
#define VPID_CAP_INVVPID_SINGLE         BIT(41)
#define VPID_CAP_INVVPID_ALL            BIT(42)
#define VPID_CAP_INVVPID_SINGLE_NONGLOBAL BIT(43)

static inline bool ept_cap_has_walk4(u64 cap) { return cap & EPT_CAP_WALK_4; }
static inline bool ept_cap_has_uc(u64 cap) { return cap & EPT_CAP_UC; }
static inline bool ept_cap_has_wb(u64 cap) { return cap & EPT_CAP_WB; }
static inline bool ept_cap_has_2m(u64 cap) { return cap & EPT_CAP_2M; }
static inline bool ept_cap_has_1g(u64 cap) { return cap & EPT_CAP_1G; }
static inline bool ept_cap_has_ad(u64 cap) { return cap & EPT_CAP_AD; }
static inline bool ept_cap_has_invept(u64 cap) { return cap & EPT_CAP_INVEPT; }
static inline bool ept_cap_has_invept_single(u64 cap) { return (cap & EPT_CAP_INVEPT) && (cap & EPT_CAP_INVEPT_SINGLE); }
static inline bool ept_cap_has_invept_all(u64 cap) { return (cap & EPT_CAP_INVEPT) && (cap & EPT_CAP_INVEPT_ALL); }
static inline bool vpid_cap_has_invvpid(u64 cap) { return cap & VPID_CAP_INVVPID; }
static inline bool vpid_cap_has_invvpid_addr(u64 cap) { return (cap & VPID_CAP_INVVPID) && (cap & VPID_CAP_INVVPID_ADDR); }
static inline bool vpid_cap_has_invvpid_single(u64 cap)
{
    return (cap & VPID_CAP_INVVPID) && (cap & VPID_CAP_INVVPID_SINGLE);
}
static inline bool vpid_cap_has_invvpid_all(u64 cap) { return (cap & VPID_CAP_INVVPID) && (cap & VPID_CAP_INVVPID_ALL); }

/* INVEPT and INVVPID types (31.3, descriptions of INVEPT and INVVPID). */
enum invept_type { INVEPT_SINGLE_CONTEXT = 1, INVEPT_ALL_CONTEXT = 2 };
enum invvpid_type {
    INVVPID_ADDRESS = 0,
    INVVPID_SINGLE_CONTEXT = 1,
    INVVPID_ALL_CONTEXT = 2,
    INVVPID_SINGLE_NONGLOBAL = 3,
};

/* ---- Interruption-information fields: VM-entry (25.8.3), VM-exit and IDT-vectoring (25.9.2, 25.9.3) ---- */
#define INTR_INFO_VECTOR_MASK           0xFFu
#define INTR_INFO_TYPE_SHIFT            8
#define INTR_INFO_TYPE_MASK             (7u << INTR_INFO_TYPE_SHIFT)
#define INTR_INFO_ERROR_CODE_VALID      BIT(11)
#define INTR_INFO_NMI_UNBLOCKING        BIT(12)     /* exit information only: NMI unblocking due to IRET */
#define INTR_INFO_VALID                 BIT(31)

enum intr_type {
    INTR_TYPE_EXTERNAL = 0,
    INTR_TYPE_NMI = 2,
    INTR_TYPE_HW_EXCEPTION = 3,
    INTR_TYPE_SW_INTERRUPT = 4,
    INTR_TYPE_PRIV_SW_EXCEPTION = 5,            /* INT1 */
    INTR_TYPE_SW_EXCEPTION = 6,                 /* INT3, INTO */
    INTR_TYPE_OTHER = 7,                        /* MTF on entry */
};

/* ---- Guest non-register state (25.4.2) ---- */
enum activity_state {
    ACTIVITY_ACTIVE = 0,
    ACTIVITY_HLT = 1,
    ACTIVITY_SHUTDOWN = 2,
    ACTIVITY_WAIT_SIPI = 3,
};

#define INTERRUPTIBILITY_STI            BIT(0)
#define INTERRUPTIBILITY_MOV_SS         BIT(1)
#define INTERRUPTIBILITY_SMI            BIT(2)
#define INTERRUPTIBILITY_NMI            BIT(3)

#define PENDING_DBG_BS                  BIT(14)     /* a single-step trap is pending (25.4.2) */

/* Segment access rights as the VMCS holds them (25.4.1): the descriptor's type byte and flags, plus "unusable". */
#define SEG_AR_UNUSABLE                 BIT(16)

/* ---- EPT paging-structure entries (29.3.2) and the EPT pointer (25.6.11) ---- */
#define EPT_READ                        BIT(0)
#define EPT_WRITE                       BIT(1)
#define EPT_EXEC                        BIT(2)
#define EPT_RWX                         (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MEMTYPE_SHIFT               3           /* leaf entries only, bits 5:3 */
#define EPT_MEMTYPE_MASK                (7ULL << EPT_MEMTYPE_SHIFT)
#define EPT_IGNORE_PAT                  BIT(6)      /* leaf entries only */
#define EPT_LARGE_PAGE                  BIT(7)      /* in a PDPTE (1 GiB) or PDE (2 MiB) */
#define EPT_ACCESSED                    BIT(8)
#define EPT_DIRTY                       BIT(9)      /* leaf entries only */
#define EPT_ADDR_MASK                   0x000FFFFFFFFFF000ULL

/* Memory types (Vol. 3A "Methods of Caching Available"): EPT entries, the EPTP and IA32_VMX_BASIC use them. */
enum mem_type_x86 { MEMTYPE_UC = 0, MEMTYPE_WC = 1, MEMTYPE_WT = 4, MEMTYPE_WP = 5, MEMTYPE_WB = 6 };

#define EPTP_MEMTYPE_SHIFT              0
#define EPTP_WALK_LENGTH_SHIFT          3           /* page-walk length minus 1, bits 5:3 */
#define EPTP_WALK_LENGTH_4              (3ULL << EPTP_WALK_LENGTH_SHIFT)
#define EPTP_AD_ENABLE                  BIT(6)

#endif
