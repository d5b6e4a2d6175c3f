/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's power controls: ACPI sleep through PM1 control and the PC's reset ports end the run instead. */
#ifndef VM_POWER_H
#define VM_POWER_H

#include "kernel/types.h"

struct vm;

struct guest_power {
    struct vm *vm;
    u16 pm1_control[2];         /* the FADT's PM1a and PM1b control ports; 0: none, or not trapped */
    u8 slp_typ[2][6];           /* \_Sn's SLP_TYPa and SLP_TYPb */
    u8 sleep_states;            /* bit n: the DSDT names \_Sn */
    u16 reset_port;             /* the FADT's reset register, when it is a port of its own; 0: none */
    u8 reset_value;
};

/* Traps the machine's power-off, sleep and reset ports for the guest (on the VM's bus); says what it traps. */
bool power_init(struct vm *vm);

/* The guest reset the machine (`via` names how): "guest: reset via VIA", status EXIT_GUEST_RESET. False when
 * the run was ending already (nothing printed). */
bool vm_guest_reset(struct vm *vm, const char *via);

#endif
