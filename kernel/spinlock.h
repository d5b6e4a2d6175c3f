/* SPDX-License-Identifier: BSD-2-Clause */
/* Ticket-free test-and-test-and-set spinlock; builds for the hypervisor and for host unit tests alike. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/types.h"

struct spinlock {
    volatile u32 locked;
};

#define SPINLOCK_INIT { 0 }

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static inline bool spin_trylock(struct spinlock *l)
{
    return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(struct spinlock *l)
{
    while (!spin_trylock(l))
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
