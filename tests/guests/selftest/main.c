/* SPDX-License-Identifier: BSD-2-Clause */
/* The built-in self-test guest: checks the emulated 16550A, MC146818, 8259A and I/O APIC the way an OS uses them,
 * plus the hypercalls, and reports its verdict through the debug-exit port. */
#include "kernel/multiboot_abi.h"
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define COM1            0x3F8
#define UART_IER        1
#define UART_IIR        2
#define UART_FCR        2
#define UART_MCR        4
#define UART_LSR        5
#define UART_MSR        6
#define UART_MCR_LOOP   0x10
#define PIC1            0x20
#define PIC2            0xA0
#define PIC_EOI         0x20
#define IRQ_PIT         0
#define IRQ_UART        4
#define IRQ_RTC         8
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define RTC_A           0x0A
#define   RTC_UIP       0x80
#define RTC_B           0x0B
#define   RTC_PIE       0x40
#define   RTC_BINARY    0x04
#define   RTC_24H       0x02
#define RTC_C           0x0C
#define   RTC_PF        0x40
#define CENTURY         0x32
#define DEBUG_EXIT      0xF4
#define PERIODIC_TICKS  16
#define HV_IMAGE        0x4000000

struct PACKED idt_gate { u16 off_lo, sel, flags, off_hi; };
static struct idt_gate idt[STUBS];
extern const u32 stubs[STUBS];
static volatile unsigned rtc_ticks;

__attribute__((noreturn)) void finish(u8 code, const char *why)
{
    if (code) {
        print("selftest: FAILED: ");
        print(why);
        print("\n");
    } else {
        print("selftest: all checks passed\n");
    }
    print_flush();
    outb(DEBUG_EXIT, code);
    for (;;)
        wait_for_interrupt();
}

/* The index/data pair must not be split by the RTC interrupt handler's own register C read (Linux holds
 * rtc_lock with interrupts off): interrupts stay off between the two accesses. */
static u32 irq_save(void)
{
    u32 flags;
    __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) :: "memory");
    return flags;
}

static void irq_restore(u32 flags)
{
    __asm__ volatile("pushl %0; popfl" :: "r"(flags) : "memory", "cc");
}

static u8 cmos_read(u8 reg)
{
    u32 flags = irq_save();
    outb(CMOS_INDEX, reg);
    u8 v = inb(CMOS_DATA);
    irq_restore(flags);
    return v;
}

static void cmos_write(u8 reg, u8 v)
{
    u32 flags = irq_save();
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, v);
    irq_restore(flags);
}

void trap(u32 vector);
void trap(u32 vector)
{
    if (vector == VECTOR_NMI) {
        events_nmi();
        return;
    }
    if (vector >= APIC_VECTOR_FIRST) {
        lapic_vector(vector);      /* the local APIC checks' timer and IPIs: their handler ends them */
        return;
    }
    if (vector >= EVENT_VECTOR_FIRST) {
        events_vector(vector);     /* raised by hypercall: no interrupt controller to acknowledge */
        return;
    }
    if (vector < IRQ_BASE) {
        print_num("selftest: exception ", vector, "\n");
        finish(90, "unexpected exception");
    }
    unsigned irq = vector - IRQ_BASE;
    if (irq < 16)
        irq_count[irq]++;
    if (irq == IRQ_PIT)
        pit_interrupt();
    if (irq == IRQ_UART)
        uart_interrupt();
    if (irq == IRQ_RTC && apic_routing)
        ioapic_rtc_interrupt();
    hpet_interrupt(irq);            /* acknowledges an HPET level timer, once the HPET checks run */
    if (irq == IRQ_RTC && (cmos_read(RTC_C) & RTC_PF))     /* reading C acknowledges the RTC */
        rtc_ticks++;
    else if (irq == IRQ_RTC)
        rtc_no_event++;
    if (apic_routing) {
        apic_eoi();                 /* the I/O APIC's interrupts end at the local APIC */
        return;
    }
    if (irq >= 8)
        outb(PIC2, PIC_EOI);
    outb(PIC1, PIC_EOI);
}

void idt_set(unsigned vector, u32 handler)
{
    idt[vector] = (struct idt_gate){ (u16)handler, 0x08, 0x8E00, (u16)(handler >> 16) };
}

void idt_load(void)
{
    struct PACKED { u16 limit; u32 base; } idtr = { sizeof idt - 1, (u32)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}

static void idt_init(void)
{
    for (int v = 0; v < STUBS; v++)
        idt_set(v, stubs[v]);
    idt_load();
}

/* Remaps both 8259As the way Linux's init_8259A does, then opens IRQ 2 (cascade), 4 and 8. */
static void pic_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC1 + 1, IRQ_BASE);
    outb(PIC1 + 1, 1 << 2);
    outb(PIC1 + 1, 0x01);
    outb(PIC2, 0x11);
    outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC2 + 1, 2);
    outb(PIC2 + 1, 0x01);
    outb(PIC1 + 1, (u8)~((1 << 2) | (1 << IRQ_UART)));
    outb(PIC2 + 1, (u8)~(1 << (IRQ_RTC - 8)));
}

/* The Linux 8250 probe (serial8250 autoconfig): IER read-back, loopback modem lines, FIFO type. */
static void uart_probe(void)
{
    if (inb(COM1 + UART_LSR) == 0xFF)
        finish(10, "UART: LSR reads 0xff (no UART)");
    outb(COM1 + UART_IER, 0);
    if (inb(COM1 + UART_IER) != 0)
        finish(11, "UART: IER does not read back 0");
    outb(COM1 + UART_IER, 0x0F);
    if (inb(COM1 + UART_IER) != 0x0F)
        finish(12, "UART: IER does not read back 0x0f");
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_MCR, UART_MCR_LOOP | 0x0A);
    if ((inb(COM1 + UART_MSR) & 0xF0) != 0x90)
        finish(13, "UART: loopback does not give MSR 0x90");
    outb(COM1 + UART_MCR, 0);
    outb(COM1 + UART_FCR, 0x01);
    if (inb(COM1 + UART_IIR) >> 6 != 3)
        finish(14, "UART: FIFO enable does not show a 16550A in IIR");
}

static unsigned bcd(u8 v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0x0F);
}

/* Linux's mach_get_cmos_time: wait out UIP, read, and retry if an update slipped in. */
static void rtc_read(void)
{
    u8 sec, min, hour, mday, mon, year, century, b;
    unsigned tries = 0;
    do {
        while (cmos_read(RTC_A) & RTC_UIP)
            if (++tries > 10000000)
                finish(20, "RTC: UIP never clears");
        sec = cmos_read(0x00);
        min = cmos_read(0x02);
        hour = cmos_read(0x04);
        mday = cmos_read(0x07);
        mon = cmos_read(0x08);
        year = cmos_read(0x09);
        century = cmos_read(CENTURY);
        b = cmos_read(RTC_B);
    } while ((cmos_read(RTC_A) & RTC_UIP) || sec != cmos_read(0x00));
    bool bin = b & RTC_BINARY;
    if (!(b & RTC_24H))
        finish(21, "RTC: not in 24-hour mode");
    unsigned y = bcd(century, bin) * 100 + bcd(year, bin), mo = bcd(mon, bin), d = bcd(mday, bin);
    if (y < 2000 || mo < 1 || mo > 12 || d < 1 || d > 31 || bcd(hour, bin) > 23 || bcd(min, bin) > 59 ||
        bcd(sec, bin) > 59)
        finish(22, "RTC: the time is not a valid date");
    print_num("selftest: rtc: the date is ", y, "");
    print_num(mo < 10 ? "-0" : "-", mo, "");
    print_num(d < 10 ? "-0" : "-", d, bin ? " (binary" : " (BCD");
    print(", read the way Linux reads it)\n");
}

static void cmos_ram(void)
{
    for (u8 r = 0x40; r < 0x80; r++) {
        u8 old = cmos_read(r);
        cmos_write(r, r ^ 0xA5);
        if (cmos_read(r) != (r ^ 0xA5))
            finish(30, "CMOS RAM does not keep what was written");
        cmos_write(r, old);
    }
    print("selftest: cmos: 64 bytes of battery-backed RAM keep what is written\n");
}

/*
 * TSC ticks until PERIODIC_TICKS more RTC periodic interrupts came: halted between them, or polling LSR.
 * Returns with interrupts off: under Bochs, whose TSC runs at 4 MHz, an interrupt with its handler's exits
 * costs about 4,000 instructions, all of a 1024 Hz period, so with interrupts on and PIE still set the guest
 * would never get to its next instruction. (This livelock was the "RTC slowdown" once blamed on the model.)
 */
static unsigned long long periodic_wait(bool poll)
{
    rtc_ticks = 0;
    cli();
    unsigned long long t0 = rdtsc();
    if (poll) {
        sti();
        for (unsigned long polls = 0; rtc_ticks < PERIODIC_TICKS; polls++) {
            if (polls > 2000000)
                finish(40, "RTC periodic interrupts stopped coming while the guest polled the UART");
            inb(COM1 + UART_LSR);
        }
        cli();
    } else {
        for (unsigned spins = 0; rtc_ticks < PERIODIC_TICKS; spins++) {
            if (spins > 1000)
                finish(40, "RTC periodic interrupts stopped coming");
            wait_for_interrupt();
        }
    }
    return rdtsc() - t0;
}

static void rtc_periodic(void)
{
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | 0x06);      /* 1024 Hz */
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_PIE);
    periodic_wait(false);
    /*
     * The same interrupts while the guest polls LSR, every poll a VM exit the hypervisor may handle without
     * its run loop, must come as fast as while it halts. (The hypervisor's deadline timer counts only while the
     * guest runs; a fast path that forgot that made them many times slower.) At 256 Hz, which leaves a guest
     * under Bochs time to poll between interrupts.
     */
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | 0x08);      /* 256 Hz */
    unsigned long long halted = periodic_wait(false), polling = periodic_wait(true);
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_PIE);
    sti();
    if (polling > 2 * halted + halted / 2)
        finish(41, "RTC periodic interrupts come late while the guest makes VM exits");
    print_num("selftest: rtc: ", PERIODIC_TICKS, " periodic interrupts at 1024 Hz through the 8259A (IRQ 8)\n");
    print_num("selftest: rtc: ", PERIODIC_TICKS, " periodic interrupts at 256 Hz come as fast while the guest "
                                                  "polls the UART as while it halts\n");
}

static void hypercalls(void)
{
    u32 sig[3];
    __asm__ volatile("cpuid" : "=b"(sig[0]), "=c"(sig[1]), "=d"(sig[2]) : "a"(HV_CPUID_BASE));
    if (sig[0] != HV_SIGNATURE_EBX || sig[1] != HV_SIGNATURE_ECX || sig[2] != HV_SIGNATURE_EDX)
        finish(50, "CPUID 0x40000000 does not name the hypervisor");
    static struct hv_exit_stats stats;
    if (hypercall(HC_EXIT_STATS, (u32)&stats, sizeof stats) != sizeof stats)
        finish(51, "HC_EXIT_STATS failed");
    if (stats.by_reason[30] == 0)
        finish(52, "HC_EXIT_STATS shows no port I/O exits");
    unsigned long long sum = 0;
    for (unsigned i = 0; i < HV_EXIT_REASONS; i++)
        sum += stats.by_reason[i];
    if (stats.total != sum)     /* every exit so far had a known reason */
        finish(54, "HC_EXIT_STATS total is not the sum of its reasons");
    /* A healthy run needs about 4,200 port exits to here; a device timer that misfires makes the guest's
     * polling loops spin for hundreds of thousands (a deterministic count, unlike a time limit). */
    if (stats.by_reason[30] > 50000)
        finish(55, "too many port I/O exits: a device model's timer misfires");
    if (hypercall(HC_CONSOLE_WRITE, HV_IMAGE, 16) != HC_EFAULT)
        finish(53, "a console write from hypervisor memory did not fail with EFAULT");
    print_num("selftest: hypercalls: ", (unsigned long)stats.by_reason[30], " port I/O exits so far\n");
}

/* "echo" on the command line: read one line typed on the console (receive interrupts), print it back. */
static void echo(void)
{
    char line[48];
    unsigned n = 0;
    uart_receive(true);
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | 0x0F);      /* 2 Hz: the timeout's clock */
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_PIE);
    print("selftest: echo: type a line\n");
    rtc_ticks = 0;
    cli();
    for (int c; n < sizeof line - 1;) {
        if ((c = uart_getc()) >= 0) {
            if (c == '\r' || c == '\n')
                break;
            line[n++] = (char)c;
        } else if (rtc_ticks > 40) {
            finish(70, "echo: no line typed within 20 s");
        } else {
            wait_for_interrupt();
        }
    }
    sti();
    line[n] = '\0';
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_PIE);
    uart_receive(false);
    print("selftest: echo: got \"");
    print(line);
    print("\"\n");
}

/*
 * "echo-polled": read a line typed at once with the FIFOs off and receive interrupts off, polling LSR as a
 * boot loader does. A receiver that holds one byte keeps up with the typist only if the hypervisor hands
 * each byte on as the guest takes the one before. A lost byte ends the line wrong, or never.
 */
static void echo_polled(void)
{
    char line[72];
    unsigned n = 0;
    print("selftest: echo-polled: type a line\n");
    uart_fifos(false);
    for (int c; n < sizeof line - 1; line[n++] = (char)c) {
        if ((c = uart_poll_getc(3000000)) < 0)          /* about 20 s under Bochs */
            finish(71, "echo-polled: 3,000,000 reads of LSR found no byte: none typed, or the rest of the line lost");
        if (c == '\r' || c == '\n')
            break;
    }
    uart_fifos(true);
    line[n] = '\0';
    print("selftest: echo-polled: got \"");
    print(line);
    print("\"\n");
}

/* Whether the space-separated `line` contains the word `w`. */
static bool has_word(const char *line, const char *w)
{
    for (const char *s = line; *s; s++) {
        if (s != line && s[-1] != ' ')
            continue;
        const char *a = s, *b = w;
        while (*b && *a == *b)
            a++, b++;
        if (!*b && (*a == ' ' || !*a))
            return true;
    }
    return false;
}

/*
 * "modules": the modules the loader gave this kernel, each with its string, its size and its first bytes; each
 * must lie above the kernel's image and apart from the information block, as a multiboot loader places them.
 */
extern char image_end[];
static void modules(const struct mb1_info *mbi)
{
    if (!(mbi->flags & MB1_INFO_MODS))
        finish(72, "modules: the information block has no module list");
    print_num("selftest: modules: ", mbi->mods_count, " module(s)\n");
    const struct mb1_module *m = (const void *)mbi->mods_addr;
    for (u32 i = 0; i < mbi->mods_count; i++) {
        if (m[i].mod_start < (u32)image_end || m[i].mod_end < m[i].mod_start ||
            ((u32)mbi < m[i].mod_end && m[i].mod_start < (u32)mbi + sizeof *mbi))
            finish(73, "modules: a module overlaps the kernel or the information block");
        char first[17];
        u32 n = 0;
        for (; n < 16 && m[i].mod_start + n < m[i].mod_end; n++) {
            char c = ((const char *)m[i].mod_start)[n];
            first[n] = c >= ' ' && c < 127 ? c : '.';
        }
        first[n] = '\0';
        print("selftest: modules: \"");
        print((const char *)m[i].cmdline);
        print_num("\", ", m[i].mod_end - m[i].mod_start, " bytes, starting \"");
        print(first);
        print("\"\n");
    }
}

void guest_main(u32 magic, const struct mb1_info *mbi);
void guest_main(u32 magic, const struct mb1_info *mbi)
{
    if (magic != MB1_BOOTLOADER_MAGIC)
        finish(1, "not started by a multiboot1 loader");
    hypercall(HC_CONSOLE_WRITE, (u32)"selftest: started as a multiboot1 kernel\n", 41);
    bool hv_reserved = false;
    if (mbi->flags & MB1_INFO_MMAP)
        for (u32 off = 0; off < mbi->mmap_length;) {
            const struct mb1_mmap_entry *e = (const void *)(mbi->mmap_addr + off);
            hv_reserved |= e->type != 1 && e->base <= HV_IMAGE && e->base + e->length > HV_IMAGE;
            off += e->size + 4;
        }
    if (!hv_reserved)
        finish(2, "the memory map does not reserve the hypervisor");
    uart_probe();
    idt_init();
    pic_init();
    uart_start();
    sti();
    print("selftest: uart: a 16550A by the Linux probe; this text goes out on THR-empty interrupts\n");
    print_num("selftest: memory: ", mbi->mem_upper / 1024, " MiB above 1 MiB, the hypervisor reserved\n");
    if ((mbi->flags & MB1_INFO_CMDLINE) && has_word((const char *)mbi->cmdline, "modules")) {
        modules(mbi);
        finish(0, "");
    }
    if ((mbi->flags & MB1_INFO_CMDLINE) && has_word((const char *)mbi->cmdline, "apic")) {
        /* "apic": only the local APIC checks (the PIT calibrates the TSC they time the APIC timer by) */
        pit_checks();
        lapic_mode = true;
        smp_start();
        lapic_checks();
        finish(0, "");
    }
    if ((mbi->flags & MB1_INFO_CMDLINE) && has_word((const char *)mbi->cmdline, "timers")) {
        /* "timers": the PIT calibrates the TSC, the PM timer and the HPET are checked by it */
        pit_checks();
        pmtimer_check();
        hpet_checks();
        finish(0, "");
    }
    rtc_read();
    cmos_ram();
    rtc_periodic();
    pit_checks();
    hypercalls();
    events_exception_with_interrupts_waiting();
    smp_start();
    events_nmi_storm();
    if ((mbi->flags & MB1_INFO_CMDLINE) && has_word((const char *)mbi->cmdline, "echo"))
        echo();
    if ((mbi->flags & MB1_INFO_CMDLINE) && has_word((const char *)mbi->cmdline, "echo-polled"))
        echo_polled();
    ioapic_checks();                /* last: it leaves the 8259 pair masked, as Linux does */
    finish(0, "");
}
