/* SPDX-License-Identifier: BSD-2-Clause */
/* The AP trampoline, assembled and linked on its own (boot/ap/trampoline.S), carried inside the image. */
    .section .rodata
    .balign 16
    .globl trampoline_blob, trampoline_blob_end
trampoline_blob:
    .incbin "build/trampoline.bin"
trampoline_blob_end:
