/* SPDX-License-Identifier: BSD-2-Clause */
/* The machine's own 8259A interrupt controllers. */
#ifndef KERNEL_LEGACY_PIC_H
#define KERNEL_LEGACY_PIC_H

/* Masks every line of both 8259As, so firmware's timer and device interrupts never reach a guest. */
void legacy_pic_mask_all(void);

#endif
