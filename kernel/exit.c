/* SPDX-License-Identifier: BSD-2-Clause */
/* run_exit: report the status, then leave through the emulator's exit port, or halt, reboot, power off. */
#include "kernel/cpuid.h"
#include "kernel/exit.h"
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/cpu_hooks.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/x86.h"

#define QEMU_DEBUG_EXIT_PORT  0xF4      /* isa-debug-exit: QEMU exits with (value << 1) | 1 */
#define BOCHS_SHUTDOWN_PORT   0x8900    /* Bochs ends on the string "Shutdown" */
#define BOCHS_E9_PORT         0xE9      /* reads back 0xE9 when the port-E9 hack is enabled */
#define RESET_CONTROL_PORT    0xCF9     /* PCI reset control: 0x06 = full reset */
#define KBC_COMMAND_PORT      0x64      /* 8042: command 0xFE pulses the reset line */

static enum exit_action action = EXIT_ACTION_AUTO;

void exit_set_action(enum exit_action a)
{
    action = a;
}

bool exit_resets(void)
{
    return action == EXIT_ACTION_REBOOT;
}

const char *exit_status_name(u32 status)
{
    switch (status) {
    case EXIT_OK: return "ok";
    case EXIT_BAD_BOOT_INFO: return "bad boot information";
    case EXIT_NO_VMX: return "VMX unavailable";
    case EXIT_VM_STOPPED: return "guest stopped";
    case EXIT_PANIC: return "hypervisor panic";
    case EXIT_GUEST_RESET: return "guest reset";
    case EXIT_GUEST_SLEEP: return "guest sleep";
    default: return "guest exit code";
    }
}

static void qemu_exit(u32 status)
{
    outl(QEMU_DEBUG_EXIT_PORT, status);
}

static void bochs_exit(void)
{
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (u8)*s);
}

static NORETURN void reboot(void)
{
    outb(RESET_CONTROL_PORT, 0x02);
    outb(RESET_CONTROL_PORT, 0x06);
    for (int i = 0; i < 100000 && (inb(KBC_COMMAND_PORT) & 0x02); i++)
        cpu_relax_io();
    outb(KBC_COMMAND_PORT, 0xFE);
    /* Last resort: a triple fault through an empty IDT. */
    struct PACKED { u16 limit; u64 base; } empty = { 0, 0 };
    __asm__ volatile("lidt %0; int3" :: "m"(empty));
    halt_forever();
}

/*
 * The exit line comes before anything that could lose a CPU: before a reboot the stop hook unblocks INIT (the
 * layer that registered it leaves the mode that blocks it), and an INIT pending then (a guest can send one
 * through the machine's I/O APIC) restarts that CPU at once. The other CPUs wait for the line (smp_nmi_stop).
 */
NORETURN void run_exit(u32 status)
{
    smp_stop_others();      /* each other CPU runs the stop hook itself, in its NMI */
    printk(LOG_ALWAYS, "exit: status=%u (%s), on_exit=%s", status, exit_status_name(status),
           exit_action_name(action));
    console_flush();
    smp_exit_reported();
    cpu_run_stop_hook(exit_resets());
    switch (action) {
    case EXIT_ACTION_AUTO:
        /* Only knock on emulator ports when an emulator is there: they could mean something on hardware. */
        if (cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_HYPERVISOR)
            qemu_exit(status);
        if (inb(BOCHS_E9_PORT) == BOCHS_E9_PORT)
            bochs_exit();
        pr_info("exit: no emulator exit port answered; halting");
        break;
    case EXIT_ACTION_QEMU:
        qemu_exit(status);
        pr_warn("exit: isa-debug-exit did not end the run (QEMU needs -device isa-debug-exit,iobase=0xf4); halting");
        break;
    case EXIT_ACTION_BOCHS:
        bochs_exit();
        pr_warn("exit: the Bochs shutdown port did not end the run; halting");
        break;
    case EXIT_ACTION_REBOOT:
        reboot();
    case EXIT_ACTION_POWEROFF:
        acpi_poweroff();
        pr_warn("exit: power-off failed; halting");
        break;
    case EXIT_ACTION_HALT:
        break;
    }
    halt_forever();
}
