/* SPDX-License-Identifier: BSD-2-Clause */
/* VMX capability probe and VMXON/VMXOFF per CPU (SDM Vol. 3C 24.6-24.8 and Appendix A). */
#include "kernel/cpuid.h"
#include "vcpu/vmx/vmx_cpu.h"
#include "kernel/cpu_hooks.h"
#include "kernel/x86_regs.h"
#include "kernel/format.h"
#include "kernel/memory.h"
#include "kernel/msr.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/x86.h"
#include "vcpu/vmx/vmcs.h"


struct vmx_caps vmx_caps;
static u32 cpus_on;

/* Each CPU's VMX state, indexed by its dense CPU number; only that CPU writes its entry. */
static struct vmx_cpu {
    bool on;                /* in VMX root operation */
    u64 vmxon_region;       /* kept across VMXOFF, for the next VMXON */
} vmx_cpus[HV_MAX_CPUS];

static void write_cr0(u64 v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static void write_cr4(u64 v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

/* The checks that need no VMX capability MSR; also run on each CPU (IA32_FEATURE_CONTROL is per core). */
static bool probe_cpu(char *why, size_t n)
{
    if (!(cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_VMX))
        return ksnprintf(why, n, "the CPU has no VMX (CPUID.1:ECX.VMX[bit 5] = 0)"), false;
    u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCKED)) {
        /* Firmware left it open: allow VMX outside SMX and lock it, as firmware should have (24.7). */
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCKED);
    } else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
        return ksnprintf(why, n, "VMX disabled by firmware (IA32_FEATURE_CONTROL = 0x%llx: locked, bit 2 clear)",
                         (unsigned long long)fc), false;
    }
    return true;
}

static bool probe_caps(struct vmx_caps *c, char *why, size_t n)
{
    c->basic = rdmsr(MSR_IA32_VMX_BASIC);
    if (vmx_basic_memtype(c->basic) != MEMTYPE_WB)
        return ksnprintf(why, n, "VMCS memory type %u is not write-back (IA32_VMX_BASIC bits 53:50)",
                         vmx_basic_memtype(c->basic)), false;
    if (c->basic & VMX_BASIC_ADDR_WIDTH_32)
        return ksnprintf(why, n, "VMX structures limited to 32-bit addresses (IA32_VMX_BASIC bit 48)"), false;
    for (int w = 0; w < VMX_CTL_WORDS; w++)
        if (w != VMX_CTL_PROC2)
            c->ctl[w] = rdmsr(vmx_ctl_cap_msr(w, c->basic));
    if (!vmx_has_secondary_ctls(c->ctl[VMX_CTL_PROC]))
        return ksnprintf(why, n, "no secondary processor-based controls (IA32_VMX_PROCBASED_CTLS bit 63)"), false;
    c->ctl[VMX_CTL_PROC2] = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
    if (!vmx_ctl_allows(c->ctl[VMX_CTL_PROC2], PROC2_ENABLE_EPT))
        return ksnprintf(why, n, "no EPT (IA32_VMX_PROCBASED_CTLS2 bit 33)"), false;
    if (!vmx_ctl_allows(c->ctl[VMX_CTL_PROC2], PROC2_UNRESTRICTED_GUEST))
        return ksnprintf(why, n, "no unrestricted guest (IA32_VMX_PROCBASED_CTLS2 bit 39)"), false;
    c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
    if (!ept_cap_has_walk4(c->ept_vpid) || !ept_cap_has_wb(c->ept_vpid))
        return ksnprintf(why, n, "EPT lacks 4-level walks or write-back (IA32_VMX_EPT_VPID_CAP bits 6, 14)"), false;
    if (!ept_cap_has_invept(c->ept_vpid) || !(c->ept_vpid & EPT_CAP_INVEPT_ALL))
        return ksnprintf(why, n, "no INVEPT all-context (IA32_VMX_EPT_VPID_CAP bits 20, 26)"), false;
    c->misc = rdmsr(MSR_IA32_VMX_MISC);
    if (!(c->misc & VMX_MISC_ACTIVITY_HLT))
        return ksnprintf(why, n, "no HLT activity state (IA32_VMX_MISC bit 6)"), false;
    c->cr0 = (struct vmx_cr_fixed){ rdmsr(MSR_IA32_VMX_CR0_FIXED0), rdmsr(MSR_IA32_VMX_CR0_FIXED1) };
    c->cr4 = (struct vmx_cr_fixed){ rdmsr(MSR_IA32_VMX_CR4_FIXED0), rdmsr(MSR_IA32_VMX_CR4_FIXED1) };
    c->vpid = vmx_ctl_allows(c->ctl[VMX_CTL_PROC2], PROC2_ENABLE_VPID) && (c->ept_vpid & VPID_CAP_INVVPID);
    c->ept_2m = ept_cap_has_2m(c->ept_vpid);
    c->ept_1g = ept_cap_has_1g(c->ept_vpid);
    c->preemption_timer = vmx_ctl_allows(c->ctl[VMX_CTL_PIN], PIN_PREEMPTION_TIMER);
    return true;
}

/* Runs on every CPU through smp_call_all. */
static void vmx_cpu_on(void *arg)
{
    (void)arg;
    u32 cpu = cpu_index();
    struct vmx_cpu *p = &vmx_cpus[cpu];
    char why[160];

    if (!probe_cpu(why, sizeof why)) {
        printk(LOG_ALWAYS, "vmx: unavailable: cpu%u: %s", cpu, why);
        return;
    }
    /* CR0.NE and the other fixed bits, and CR4.VMXE, before VMXON (24.8). CR4.OSXSAVE lets the host run the
     * guest's XSETBV (vcpu/exit_xsetbv.c). */
    write_cr0(vmx_cr_fix(read_cr0(), vmx_caps.cr0));
    u64 cr4 = read_cr4() | CR4_VMXE | (cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_XSAVE ? CR4_OSXSAVE : 0);
    write_cr4(vmx_cr_fix(cr4, vmx_caps.cr4));
    if (!p->vmxon_region) {
        p->vmxon_region = page_alloc(1);
        if (!p->vmxon_region) {
            pr_err("vmx: cpu%u: out of memory for the VMXON region", cpu);
            return;
        }
    }
    *(u32 *)p->vmxon_region = vmx_basic_revision(vmx_caps.basic);
    enum vmx_status st = vmx_vmxon(p->vmxon_region);
    if (st != VMX_OK) {
        pr_err("vmx: cpu%u: VMXON failed (%s)", cpu, st == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
        return;
    }
    p->on = true;
    __atomic_fetch_add(&cpus_on, 1, __ATOMIC_RELAXED);
    pr_debug("vmx: cpu%u in VMX operation, VMXON region at %llx", cpu, (unsigned long long)p->vmxon_region);
}

static void vmx_off_this_cpu(void)
{
    struct vmx_cpu *p = &vmx_cpus[cpu_index()];
    if (!p->on)
        return;
    if (vmx_vmxoff() == VMX_OK) {
        p->on = false;
        write_cr4(read_cr4() & ~CR4_VMXE);
    }
}

/*
 * The stop hook (kernel/cpu_hooks.h). A CPU that stops for good stays in VMX root operation, where INIT is
 * blocked (SDM Vol. 3C 24.8): an INIT still pending, which a guest can send through the machine's I/O APIC
 * and which Bochs 2.7 keeps pending even after it caused a VM exit, would otherwise be delivered at VMXOFF and
 * restart the boot CPU in the firmware while the run ends. Only before a reboot, which may reach a CPU as an
 * INIT, does the CPU leave VMX operation; a pending INIT then resets it, which is what a reboot wants anyway.
 */
static void vmx_stop_hook(bool reset)
{
    if (reset)
        vmx_off_this_cpu();
}

bool vmx_init_all(void)
{
    char why[160];

    if (!probe_cpu(why, sizeof why) || !probe_caps(&vmx_caps, why, sizeof why)) {
        printk(LOG_ALWAYS, "vmx: unavailable: %s", why);
        return false;
    }
    pr_info("vmx: VMCS revision 0x%x; EPT (4 KiB%s%s pages), %s, unrestricted guest",
            vmx_basic_revision(vmx_caps.basic), vmx_caps.ept_2m ? ", 2 MiB" : "", vmx_caps.ept_1g ? ", 1 GiB" : "",
            vmx_caps.vpid ? "VPID" : "no VPID");
    /* What the CPU offers for the guest's local APIC, unused so far: the figures in README "Benchmarks" say
     * where it would pay. Debug level: the line costs the boot 50,000 instructions of serial output. */
    u64 proc = vmx_caps.ctl[VMX_CTL_PROC], proc2 = vmx_caps.ctl[VMX_CTL_PROC2];
    pr_debug("vmx: APIC virtualization: TPR shadow %s, APIC page %s, registers %s, "
            "virtual interrupts %s, x2APIC %s, posted interrupts %s",
            vmx_ctl_allows(proc, PROC_USE_TPR_SHADOW) ? "yes" : "no",
            vmx_ctl_allows(proc2, PROC2_VIRTUALIZE_APIC_ACCESSES) ? "yes" : "no",
            vmx_ctl_allows(proc2, PROC2_APIC_REGISTER_VIRT) ? "yes" : "no",
            vmx_ctl_allows(proc2, PROC2_VIRTUAL_INTR_DELIVERY) ? "yes" : "no",
            vmx_ctl_allows(proc2, PROC2_VIRTUALIZE_X2APIC) ? "yes" : "no",
            vmx_ctl_allows(vmx_caps.ctl[VMX_CTL_PIN], PIN_POSTED_INTERRUPTS) ? "yes" : "no");
    if (!vmx_caps.preemption_timer)
        pr_warn("vmx: no VMX-preemption timer (IA32_VMX_PINBASED_CTLS bit 38): the emulated RTC's and UART's "
                "timed interrupts advance only when the guest exits");
    cpus_on = 0;
    cpu_set_stop_hook(vmx_stop_hook);   /* before VMXON: no CPU in VMX operation stops without it */
    smp_call_all(vmx_cpu_on, NULL);
    pr_info("vmx: %u of %u CPUs in VMX operation", cpus_on, smp_cpu_count());
    return cpus_on == smp_cpu_count();
}
