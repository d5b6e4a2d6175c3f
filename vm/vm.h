/* SPDX-License-Identifier: BSD-2-Clause */
/* A VM: guest memory (EPT), the port-I/O bus of its devices, I/O and MSR bitmaps, its vCPUs, how it ends. */
#ifndef VM_VM_H
#define VM_VM_H

#include "devices/iobus.h"
#include "devices/mmiobus.h"
#include "kernel/multiboot.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "vcpu/vmx/ept.h"
#include "vm/board.h"
#include "vm/guest_memory.h"
#include "vcpu/vcpu.h"

struct vm {
    const char *name;
    const struct boot_info *bi;     /* the machine's memory map: guest RAM is its usable part minus `hv` */
    struct range hv;                /* the hypervisor's memory, never mapped for the guest */
    struct guest_memory memory;     /* what guest_ptr may reach: usable RAM from `bi` minus `hv` */
    struct ept ept;
    u64 eptp;
    u64 io_bitmap[2];               /* physical addresses: ports 0-0x7FFF, 0x8000-0xFFFF */
    u64 msr_bitmap;
    struct iobus bus;
    struct mmiobus mmio;            /* device registers in guest-physical memory, trapped through the EPT */
    u32 vcpu_count;
    struct vcpu *vcpus[HV_MAX_CPUS];
    struct board board;             /* the emulated PC devices (vm/board.c) */
    bool stop_claimed;              /* vm_stop was called (the status is being written) */
    volatile bool stopping;
    u32 status;                     /* the run's exit status once stopping */
};

/* Builds guest memory (EPT identity map) and the bitmaps. `hv` is the sealed hypervisor block. */
bool vm_create(struct vm *vm, const char *name, const struct boot_info *bi, struct range hv);

/* Creates the vCPU for the calling physical CPU, with its VMCS. */
struct vcpu *vm_create_vcpu(struct vm *vm);

/* Registers a device's ports on the bus and intercepts them; every other port passes through. */
bool vm_add_io(struct vm *vm, const struct io_region *r);

/*
 * Registers a device's registers in guest-physical memory: the pages that hold them leave the guest's EPT, so
 * every access exits and is emulated against the device (vcpu/mmio.c). Only while the VM is built, before any
 * vCPU runs (no INVEPT).
 */
bool vm_add_mmio(struct vm *vm, const struct mmio_region *r);

/* Whether gpa lies in a page a device took out of the guest's map (vm_add_mmio). */
bool vm_mmio_page(const struct vm *vm, u64 gpa);

/* Intercepts RDMSR and/or WRMSR of one MSR (the others run on the hardware). */
void vm_intercept_msr(struct vm *vm, u32 msr, bool read, bool write);

/*
 * The one way from a guest-physical address to a host pointer: [gpa, gpa + len) must be guest RAM the hypervisor
 * can read and write for the guest (vm/guest_memory.h: usable memory, not the hypervisor's, not MMIO, below
 * 4 GiB, where the hypervisor's own map ends; RAM above is the guest's alone). NULL when it is not, with the
 * reason in *why (why may be NULL). A pointer stays valid for the VM's life; the guest may change the bytes
 * under it at any time (other vCPUs), so read each once.
 */
void *guest_ptr(const struct vm *vm, u64 gpa, u64 len, enum gpa_refusal *why);

/* Ends the VM with a run status (a guest exit code, or EXIT_VM_STOPPED); the first call wins and gets true. */
bool vm_stop(struct vm *vm, u32 status);

#endif
