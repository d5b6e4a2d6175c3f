/* SPDX-License-Identifier: BSD-2-Clause */
/* VM construction: EPT from the memory map with the hypervisor left out, bitmaps, bus, console, stop. */
#include "vm/vm.h"
#include "kernel/lapic.h"
#include "kernel/memlayout.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "vcpu/vmx/vmcs_setup.h"
#include "vcpu/vmx/vmx_cpu.h"

#define MSR_BITMAP_READ_LOW    0        /* MSRs 0x00000000-0x00001FFF (SDM Vol. 3C 25.6.9) */
#define MSR_BITMAP_READ_HIGH   1024     /* MSRs 0xC0000000-0xC0001FFF */
#define MSR_BITMAP_WRITE_LOW   2048
#define MSR_BITMAP_WRITE_HIGH  3072

static u64 ept_alloc(void *ctx)
{
    (void)ctx;
    return page_alloc(1);
}

static void *ept_virt(void *ctx, u64 pa)
{
    (void)ctx;
    return (void *)pa;      /* identity map */
}

static enum ept_kind kind_of(u32 type)
{
    return type == MEM_USABLE || type == MEM_ACPI || type == MEM_NVS ? EPT_WB : EPT_UC;
}

/*
 * Ports no device claims belong to the hardware: the I/O bitmaps let the guest reach them directly. A wide access
 * exits when one of its bytes is claimed; its unclaimed bytes then go to the hardware from here, as they would
 * have without the exit (the guest's own access, done on its CPU, one byte at a time as the ISA bus does).
 */
static u32 physical_in(void *ctx, u16 port, unsigned size)
{
    (void)ctx;
    (void)size;
    return inb(port);
}

static void physical_out(void *ctx, u16 port, unsigned size, u32 value)
{
    (void)ctx;
    (void)size;
    outb(port, (u8)value);
}

bool vm_create(struct vm *vm, const char *name, const struct boot_info *bi, struct range hv)
{
    struct ept_range ranges[BOOT_MAX_MMAP + 1];
    u64 top = 4 * GiB;

    memset(vm, 0, sizeof *vm);
    vm->name = name;
    vm->bi = bi;
    vm->hv = hv;
    /* The hypervisor reaches guest RAM through its own identity map of the first 4 GiB (memlayout.h). */
    guest_memory_init(&vm->memory, bi->mmap, bi->mmap_count, hv, HV_IDMAP_LIMIT);
    iobus_init(&vm->bus);
    mmiobus_init(&vm->mmio);
    iobus_set_unclaimed(&vm->bus, physical_in, physical_out, NULL);
    for (u32 i = 0; i < bi->mmap_count; i++) {
        const struct mem_entry *e = &bi->mmap[i];
        ranges[i] = (struct ept_range){ e->base, e->base + e->length, kind_of(e->type) };
        top = MAX(top, ALIGN_UP(e->base + e->length, GiB));    /* RAM and what firmware lists above it */
    }
    ranges[bi->mmap_count] = (struct ept_range){ hv.start, hv.end, EPT_UNMAPPED };
    struct ept_layout layout = { ranges, bi->mmap_count + 1, MIN(top, EPT_MAX_GPA), vmx_caps.ept_2m,
                                 vmx_caps.ept_1g };
    enum ept_status st = ept_build(&vm->ept, &layout, (struct ept_mm){ ept_alloc, ept_virt, NULL });
    if (st != EPT_OK) {
        pr_err("vm: building the EPT failed: %s", ept_status_name(st));
        return false;
    }
    vm->eptp = ept_pointer(&vm->ept, false);

    vm->io_bitmap[0] = page_alloc(1);
    vm->io_bitmap[1] = page_alloc(1);
    vm->msr_bitmap = page_alloc(1);
    if (!vm->io_bitmap[0] || !vm->io_bitmap[1] || !vm->msr_bitmap) {
        pr_err("vm: out of memory for the I/O and MSR bitmaps");
        return false;
    }
    pr_info("vm: %s: guest-physical space up to %llu GiB, EPT in %llu pages, hypervisor [%llx-%llx) unmapped",
            name, (unsigned long long)(layout.limit / GiB), (unsigned long long)vm->ept.table_pages,
            (unsigned long long)hv.start, (unsigned long long)hv.end);
    return true;
}

struct vcpu *vm_create_vcpu(struct vm *vm)
{
    u64 pages = ALIGN_UP(sizeof(struct vcpu), PAGE_SIZE) / PAGE_SIZE;
    struct vcpu *v = (struct vcpu *)page_alloc(pages);
    if (!v) {
        pr_err("vm: out of memory for a vCPU");
        return NULL;
    }
    v->vm = vm;
    v->cpu = this_cpu();
    v->index = this_cpu()->index;
    v->vpid = (u16)(v->index + 1);      /* VPID 0 is the host's */
    v->timers.deadline = VTIMER_NONE;
    guest_console_init(&v->console, vm_console_emit_now, vm);
    if (!vmcs_setup(v))
        return NULL;
    if (!board_attach_vcpu(vm, v))
        return NULL;
    __atomic_fetch_add(&vm->vcpu_count, 1, __ATOMIC_RELAXED);
    vm->vcpus[v->index] = v;
    return v;
}

bool vm_add_io(struct vm *vm, const struct io_region *r)
{
    enum iobus_status st = iobus_register(&vm->bus, r);
    if (st != IOBUS_OK) {
        pr_err("vm: cannot add %s at ports 0x%x-0x%x: %s", r->name, r->first, r->last, iobus_status_name(st));
        return false;
    }
    for (u32 port = r->first; port <= r->last; port++) {
        u8 *bitmap = (u8 *)vm->io_bitmap[port >> 15];
        bitmap[(port & 0x7FFF) / 8] |= (u8)(1 << (port % 8));
    }
    return true;
}

bool vm_add_mmio(struct vm *vm, const struct mmio_region *r)
{
    enum mmiobus_status st = mmiobus_register(&vm->mmio, r);
    if (st != MMIOBUS_OK) {
        pr_err("vm: cannot add %s at [%llx-%llx]: %s", r->name, (unsigned long long)r->first,
               (unsigned long long)r->last, mmiobus_status_name(st));
        return false;
    }
    enum ept_status e = ept_set_range(&vm->ept, ALIGN_DOWN(r->first, PAGE_SIZE), ALIGN_UP(r->last + 1, PAGE_SIZE),
                                      EPT_UNMAPPED);
    if (e != EPT_OK) {
        pr_err("vm: cannot take %s at [%llx-%llx] out of the EPT: %s", r->name, (unsigned long long)r->first,
               (unsigned long long)r->last, ept_status_name(e));
        return false;
    }
    return true;
}

bool vm_mmio_page(const struct vm *vm, u64 gpa)
{
    for (unsigned i = 0; i < vm->mmio.count; i++) {
        const struct mmio_region *r = &vm->mmio.region[i];
        if (gpa >= ALIGN_DOWN(r->first, PAGE_SIZE) && gpa <= (r->last | (PAGE_SIZE - 1)))
            return true;
    }
    return false;
}

void vm_intercept_msr(struct vm *vm, u32 msr, bool read, bool write)
{
    u8 *bitmap = (u8 *)vm->msr_bitmap;
    u32 base;

    /* MSRs outside the two ranges the bitmap covers always exit. */
    if (msr <= 0x1FFF)
        base = 0;
    else if (msr >= 0xC0000000 && msr <= 0xC0001FFF)
        base = MSR_BITMAP_READ_HIGH, msr -= 0xC0000000;
    else
        return;
    if (read)
        bitmap[base + msr / 8] |= (u8)(1 << (msr % 8));
    if (write)
        bitmap[base + MSR_BITMAP_WRITE_LOW + msr / 8] |= (u8)(1 << (msr % 8));
}

void *guest_ptr(const struct vm *vm, u64 gpa, u64 len, enum gpa_refusal *why)
{
    enum gpa_refusal r = guest_memory_check(&vm->memory, gpa, len);
    if (why)
        *why = r;
    return r == GPA_OK ? (void *)(uintptr_t)gpa : NULL;  /* identity EPT and identity host map: gpa = hpa = va */
}

bool vm_stop(struct vm *vm, u32 status)
{
    /* The first caller's status wins, and is in place before anyone can see `stopping`. */
    if (__atomic_exchange_n(&vm->stop_claimed, true, __ATOMIC_ACQ_REL))
        return false;
    vm->status = status;
    __atomic_store_n(&vm->stopping, true, __ATOMIC_RELEASE);
    /* Bring every vCPU out of the guest, whatever state it is in, so that its run loop sees `stopping`. */
    for (u32 i = 0; i < HV_MAX_CPUS; i++)
        if (vm->vcpus[i])
            vcpu_kick(vm->vcpus[i], VCPU_REQ_STOP);
    return true;
}
