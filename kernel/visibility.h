/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Included first in every hypervisor C file (Makefile): every symbol is hidden, so position-independent code
 * (-fpie) reaches functions and data RIP-relative rather than through a GOT. The image has no GOT and no absolute
 * address in its code, only the data pointers the fix-up table lists (kernel/relocation.h), so it runs wherever
 * early boot copies it.
 */
#pragma GCC visibility push(hidden)
