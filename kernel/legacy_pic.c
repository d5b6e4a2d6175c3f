/* SPDX-License-Identifier: BSD-2-Clause */
/* The physical 8259A pair belongs to the hypervisor and stays masked: guests get an emulated one. */
#include "kernel/legacy_pic.h"
#include "kernel/x86.h"

#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_DATA  0xA1

void legacy_pic_mask_all(void)
{
    outb(PIC_MASTER_DATA, 0xFF);
    outb(PIC_SLAVE_DATA, 0xFF);
}
