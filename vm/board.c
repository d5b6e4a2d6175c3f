/* SPDX-License-Identifier: BSD-2-Clause */
/* The board: device models at their ports, IRQ lines into the PIC and the I/O APICs (vm/board_lines.c,
 * vm/ioapic.c), the HPET (vm/board_hpet.c), the PIC (through LINT0) and the device timers on the boot vCPU, a local
 * APIC on every vCPU (vm/apic.c). */
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "kernel/wallclock.h"
#include "vm/board.h"
#include "vm/vm.h"

#define COM1_BASE       0x3F8
#define COM1_IRQ        4
#define RTC_BASE        0x70
#define RTC_IRQ         8
#define PIT_BASE        0x40
#define PIT_IRQ         0
#define PORT_61         0x61            /* system control port B: PIT counter 2's gate and OUT, refresh */
#define PIC_MASTER      0x20
#define PIC_SLAVE       0xA0
#define PIC_ELCR        0x4D0
#define GUEST_EXIT_MAX  (EXIT_BAD_BOOT_INFO - 1)    /* 120 and up are the hypervisor's statuses */
#define INPUT_POLL_NS   10000000ULL                 /* 10 ms: typed input reaches an interrupt-driven guest */
#define INPUT_READ_POLL_NS 1000000ULL               /* 1 ms: typed input reaches a guest polling LSR */

/* The vCPU wired to the PIC and the device timers, once it exists (board_attach_vcpu). */
static struct vcpu *timer_vcpu(struct board *b)
{
    return __atomic_load_n(&b->timer_vcpu, __ATOMIC_ACQUIRE);
}

/* The PIC's INT rose: its vCPU's local APIC sees it on LINT0 before the vCPU next runs guest code. */
static void pic_int_raised(void *ctx)
{
    struct vcpu *v = timer_vcpu(ctx);
    if (v)
        vcpu_kick(v, VCPU_REQ_INTERRUPT);
}

/* A device timer's inputs changed (a guest access, maybe on another vCPU): its vCPU recomputes it. Before that
 * vCPU exists, its timers are added poked anyway. */
void board_poke(struct board *b, struct vtimer *t)
{
    struct vcpu *v = timer_vcpu(b);
    if (v)
        vcpu_poke_timer(v, t);
}

/* A guest console line's text: printk ends every line itself. */
static int text_len(const char *line, size_t len)
{
    return (int)(len && line[len - 1] == '\n' ? len - 1 : len);
}

/* A line of the guest's UART waits in the console's queue while the guest runs on; the console timer drains it. */
void vm_console_emit(void *ctx, const char *line, size_t len)
{
    struct vm *vm = ctx;
    if (printk_queued("%.*s", text_len(line, len), line))
        board_poke(&vm->board, &vm->board.console_timer);
}

/* A line of the console hypercall is on the wire before the hypercall returns: test guests time what follows
 * it (make bench's exact mode wants no exit but its own) and may stop the machine right after. */
void vm_console_emit_now(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    printk(LOG_INFO, "%.*s", text_len(line, len), line);
}

/* Refills the machine's UART's FIFO from the queue each time it has had time to empty, while bytes remain. */
static u64 console_timer_fire(struct vtimer *t, u64 now_tsc)
{
    struct board *b = container_of(t, struct board, console_timer);
    return printk_pump() ? now_tsc + b->console_refill_tsc : VTIMER_NONE;
}

bool vm_guest_end(struct vm *vm, u32 status)
{
    if (!vm_stop(vm, status))
        return false;       /* the VM was already stopping: its first reason stands, and is the one printed */
    guest_console_flush(&vm->board.console);
    for (u32 i = 0; i < HV_MAX_CPUS; i++)
        if (vm->vcpus[i])
            guest_console_flush(&vm->vcpus[i]->console);
    return true;
}

void vm_guest_exit(struct vm *vm, u64 code)
{
    u32 status = (u32)MIN(code, GUEST_EXIT_MAX);
    if (!vm_guest_end(vm, status))
        return;
    if (code > GUEST_EXIT_MAX)
        pr_warn("guest: exit code %llu is outside 0-%u; reported as %u", (unsigned long long)code, GUEST_EXIT_MAX,
                GUEST_EXIT_MAX);
    printk(LOG_ALWAYS, "guest: exit code %u", status);
}

static void debug_exit(void *ctx, u32 code)
{
    vm_guest_exit(ctx, code);
}

/*
 * Port handlers wrap the models: move typed input in, drain transmitted bytes, and poke the device's timer when
 * the model says, under its lock, that an access moved its deadline (uart_take_deadline_moved,
 * rtc_take_deadline_moved). Status reads (LSR, IIR, the clock) move none.
 */

/* The UART's character timeout, or whether it wants receive interrupts (ERBFI), may have moved. */
static void uart_deadline_check(struct board *b)
{
    if (uart_take_deadline_moved(&b->uart)) {
        board_poke(b, &b->uart_timer);
        board_poke(b, &b->input_timer);
    }
}

/*
 * A guest polling LSR sees typed bytes: the read looks at the physical console first, but at most every
 * INPUT_READ_POLL_NS, since a physical port read costs a microsecond or more. Typing is far slower, and a
 * paste at 115200 baud brings at most 12 bytes (87 us each) per gap, which the host UART's 16-byte FIFO
 * (kernel/console.c turns it on) holds until then. Racing vCPUs may both poll: harmless.
 */
static bool console_input_due(struct board *d)
{
    u64 now = rdtsc(), last = __atomic_load_n(&d->input_polled_tsc, __ATOMIC_RELAXED);
    if (now - last < d->input_poll_gap_tsc)
        return false;
    __atomic_store_n(&d->input_polled_tsc, now, __ATOMIC_RELAXED);
    return true;
}

static u32 uart_read(void *dev, u16 offset, unsigned size)
{
    struct vm *vm = dev;
    if (offset == UART_LSR && console_input_due(&vm->board))
        board_console_input(vm);
    u32 v = uart_io_read(&vm->board.uart, offset, size);
    /* An RBR read made room: the next typed byte moves in at once, so a guest without FIFOs, whose receiver
     * holds one byte, keeps up with a paste, polling or interrupt-driven; if another vCPU is moving input just
     * now, the next LSR read looks again. */
    if (offset == UART_RBR) {
        __atomic_store_n(&vm->board.input_polled_tsc, 0, __ATOMIC_RELAXED);   /* due (the TSC is far past a gap) */
        board_console_input(vm);
    }
    uart_deadline_check(&vm->board);
    return v;
}

static void uart_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct vm *vm = dev;
    struct uart *u = &vm->board.uart;
    u8 byte;
    uart_io_write(u, offset, size, value);
    /* Drain the transmitter; its lock is taken only when a byte waits (loopback keeps nothing there). A byte
     * another vCPU's write left is drained by that vCPU. */
    while (__atomic_load_n(&u->tsr_full, __ATOMIC_RELAXED) && uart_tx_pop(u, &byte))
        guest_console_put(&vm->board.console, byte);
    uart_deadline_check(&vm->board);
}

/* The RTC's next interrupt may have moved. */
static void rtc_deadline_check(struct board *b)
{
    if (rtc_take_deadline_moved(&b->rtc))
        board_poke(b, &b->rtc_timer);
}

static u32 rtc_read(void *dev, u16 offset, unsigned size)
{
    struct vm *vm = dev;
    u32 v = rtc_io_read(&vm->board.rtc, offset, size);
    rtc_deadline_check(&vm->board);
    return v;
}

static void rtc_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct vm *vm = dev;
    rtc_io_write(&vm->board.rtc, offset, size, value);
    rtc_deadline_check(&vm->board);
}

/*
 * A device deadline in wall-clock nanoseconds as a TSC value, the preemption timer's unit: the first at which the
 * models' clock reads the deadline, so that the exit finds the device due (one a moment early finds nothing and
 * costs a second exit: the HPET's every match did).
 */
u64 board_tsc_deadline(u64 deadline_ns)
{
    return deadline_ns == DEV_NO_DEADLINE ? VTIMER_NONE : wallclock_tsc_at(deadline_ns);
}

static u64 uart_timer_fire(struct vtimer *t, u64 now_tsc)
{
    (void)now_tsc;      /* the deadline is the models' clock's, not a time from now */
    struct board *b = container_of(t, struct board, uart_timer);
    return board_tsc_deadline(uart_next_deadline(&b->uart));
}

static u64 rtc_timer_fire(struct vtimer *t, u64 now_tsc)
{
    (void)now_tsc;      /* the deadline is the models' clock's, not a time from now */
    struct board *b = container_of(t, struct board, rtc_timer);
    return board_tsc_deadline(rtc_next_deadline(&b->rtc));   /* brings the model up to the clock first */
}

/*
 * A guest waiting for input with receive interrupts on is woken by typing: the physical port is polled every
 * INPUT_POLL_NS while ERBFI is set (a byte moved in pokes the UART's timer: its character timeout counts).
 */
static u64 input_timer_fire(struct vtimer *t, u64 now_tsc)
{
    struct board *b = container_of(t, struct board, input_timer);
    if (!(__atomic_load_n(&b->uart.ier, __ATOMIC_RELAXED) & UART_IER_ERBFI))
        return VTIMER_NONE;
    board_console_input(container_of(b, struct vm, board));
    return now_tsc + tsc_hz() / (NSEC_PER_SEC / INPUT_POLL_NS);
}

/* The PIT's IRQ 0 may have moved (a write to counter 0 or its control word). */
static void pit_deadline_check(struct board *b)
{
    if (pit_take_deadline_moved(&b->pit))
        board_poke(b, &b->pit_timer);
}

static u32 pit_read(void *dev, u16 offset, unsigned size)
{
    struct vm *vm = dev;
    return pit_io_read(&vm->board.pit, offset, size);     /* reads latch, never move IRQ 0's deadline */
}

static void pit_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct vm *vm = dev;
    pit_io_write(&vm->board.pit, offset, size, value);
    pit_deadline_check(&vm->board);
}

static u64 pit_timer_fire(struct vtimer *t, u64 now_tsc)
{
    (void)now_tsc;      /* the deadline is the models' clock's, not a time from now */
    struct board *b = container_of(t, struct board, pit_timer);
    return board_tsc_deadline(pit_next_deadline(&b->pit));
}

bool board_init(struct vm *vm)
{
    struct board *d = &vm->board;
    struct dev_clock clock = { wallclock_now_ns, NULL };

    guest_console_init(&d->console, vm_console_emit, vm);
    d->lines_lock = (struct spinlock)SPINLOCK_INIT;
    pic_init(&d->pic, pic_int_raised, d);
    if (!board_ioapic_init(vm))                     /* before the lines: it reads their routing */
        return false;
    uart_init(&d->uart, clock, (struct dev_irq){ board_isa_irq, d, COM1_IRQ });
    rtc_init(&d->rtc, clock, (struct dev_irq){ board_isa_irq, d, RTC_IRQ });
    pit_init(&d->pit, clock, (struct dev_irq){ board_isa_irq, d, PIT_IRQ });
    d->debug_exit = (struct debug_exit){ debug_exit, vm };
    d->uart_timer.fire = uart_timer_fire;
    d->rtc_timer.fire = rtc_timer_fire;
    d->pit_timer.fire = pit_timer_fire;
    d->input_timer.fire = input_timer_fire;
    d->console_timer.fire = console_timer_fire;
    d->input_poll_gap_tsc = tsc_hz() / (1000000000ULL / INPUT_READ_POLL_NS);
    d->console_refill_tsc = tsc_hz() * console_fifo_ns() / NSEC_PER_SEC;

    /* The bus finds ports below 0x400 through its map, and the others (the ELCR) by a scan in this order. */
    const struct io_region regions[] = {
        { COM1_BASE, COM1_BASE + UART_PORTS - 1, 1, uart_read, uart_write, vm, "16550A COM1" },
        { RTC_BASE, RTC_BASE + 1, 1, rtc_read, rtc_write, vm, "MC146818 RTC" },
        { PIT_BASE, PIT_BASE + PIT_PORTS - 1, 1, pit_read, pit_write, vm, "8254 PIT" },
        { PORT_61, PORT_61, 1, pit_port61_read, pit_port61_write, &d->pit, "port 0x61" },
        { PIC_MASTER, PIC_MASTER + 1, 1, pic_master_io_read, pic_master_io_write, &d->pic, "8259A master" },
        { PIC_SLAVE, PIC_SLAVE + 1, 1, pic_slave_io_read, pic_slave_io_write, &d->pic, "8259A slave" },
        { PIC_ELCR, PIC_ELCR + 1, 1, pic_elcr_io_read, pic_elcr_io_write, &d->pic, "ELCR" },
        { DEBUG_EXIT_PORT, DEBUG_EXIT_PORT + DEBUG_EXIT_PORTS - 1, 4, debug_exit_io_read, debug_exit_io_write,
          &d->debug_exit, "debug-exit" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(regions); i++)
        if (!vm_add_io(vm, &regions[i]))
            return false;
    /* the machine's power-off, sleep and reset ports end the run instead; the local APICs' xAPIC page; the HPET
     * last, so that the MMIO bus finds the xAPIC page (scanned in order) before it */
    return power_init(vm) && apic_init(vm) && board_hpet_init(vm) && board_pm1_init(vm);
}

bool board_attach_vcpu(struct vm *vm, struct vcpu *v)
{
    struct board *b = &vm->board;
    if (!apic_attach_vcpu(vm, v))
        return false;
    if (v->index != 0)
        return true;                /* the PIC and the device timers belong to the boot vCPU */
    vtimer_add(&v->timers, &b->input_timer);    /* first: input it moves in counts for the UART's timeout */
    vtimer_add(&v->timers, &b->console_timer);
    vtimer_add(&v->timers, &b->uart_timer);
    vtimer_add(&v->timers, &b->rtc_timer);
    vtimer_add(&v->timers, &b->pit_timer);
    if (b->has_hpet)
        vtimer_add(&v->timers, &b->hpet_timer);
    __atomic_store_n(&b->timer_vcpu, v, __ATOMIC_RELEASE);
    return true;
}

void board_console_input(struct vm *vm)
{
    static struct spinlock input_lock = SPINLOCK_INIT;   /* console_peek has one reader at a time */
    int c;
    if (!spin_trylock(&input_lock))
        return;             /* another vCPU is moving the input already */
    while ((c = console_peek()) >= 0 && uart_rx_push(&vm->board.uart, (u8)c))
        console_getc();
    spin_unlock(&input_lock);
    uart_deadline_check(&vm->board);
}
