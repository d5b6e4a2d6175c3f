# SPDX-License-Identifier: BSD-2-Clause
# One plain Makefile: the hypervisor image, its ISO and PXE tree, host unit tests, fuzzers, boot tests.

SHELL     := /bin/bash
BUILD     := build
VERSION   := 0.1.0+$(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CC        := gcc
LD        := ld
HOSTCC    := gcc
FUZZCC    := clang
PYTHON    := /usr/bin/python3

PLATFORM  ?= auto
CPUS      ?= 1
CMDLINE   ?=
FUZZ_SECONDS ?= 60

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Freestanding x86-64 kernel code, position-independent (-fpie, every symbol hidden: no GOT), linked at its load
# address with its relocations kept (--emit-relocs) for the fix-up table that lets it move (kernel/memlayout.h).
KCFLAGS := -std=gnu11 -Os -g -Wall -Wextra -Werror -I. \
	-ffreestanding -fpie -include kernel/visibility.h -fno-stack-protector -fno-builtin-printf \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mno-avx -mcmodel=small \
	-ffunction-sections -fdata-sections -DHV_VERSION='"$(VERSION)"' -MMD -MP
KASFLAGS := -g -I. -D__ASSEMBLY__ -MMD -MP
# Each function and object in its own section, and the link drops every section nothing reaches from the entry
# (linker.ld KEEPs the roots): the image carries no code it does not call.
KLDFLAGS := -nostdlib -n --emit-relocs -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments --gc-sections -T linker.ld

# Sources by folder (DESIGN.md "Shape of the code"). A C file that is pure, that is free of port I/O, the VMCS and
# global state, says so on a line "/* Pure: ..." and is built for the host as well; devices/ is pure throughout.
SRC_DIRS  := boot kernel vcpu/vmx vcpu vm devices
KSRCS     := $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
KOBJS     := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS)))
KHDRS     := $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.h))
# Small by default (-Os); the VM-exit path (vcpu/, the board) and the device models, which run on every exit, fast (-O2).
HOT_SRCS  := $(wildcard vcpu/*.c vm/board*.c devices/*.c)
$(patsubst %,$(BUILD)/obj/%.o,$(basename $(HOT_SRCS))): KCFLAGS += -O2

PURE_SRCS := $(wildcard devices/*.c) $(shell grep -l '^/\* Pure: ' $(filter-out devices/%,$(filter %.c,$(KSRCS))))
UNIT_SRCS := $(wildcard tests/unit/*.c) $(PURE_SRCS)
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
GUESTS := $(patsubst tests/guests/%.S,$(BUILD)/guests/%.bin,$(wildcard tests/guests/*.S)) $(BUILD)/guests/selftest.elf \
	$(BUILD)/guests/selftest-low.elf
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all iso pxe run test unit fuzz fuzz-quick boottest bench bench-linux deps clean debug linux-guest run-linux
all: iso $(GUESTS)

# ---- the image: link twice so the built-in symbol table describes the final layout ----
$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# The AP trampoline: its own flat blob at offset 0, included by boot/trampoline_blob.S.
$(BUILD)/trampoline.bin: boot/ap/trampoline.S kernel/trampoline.h kernel/msr.h kernel/x86_regs.h kernel/bits.h
	@mkdir -p $(BUILD)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $(BUILD)/trampoline.o
	$(Q)$(LD) -e start -Ttext 0 --oformat binary -o $@ $(BUILD)/trampoline.o
	$(Q)test $$(stat -c %s $@) -eq 512 || { echo "error: trampoline is not 512 bytes"; exit 1; }
$(BUILD)/obj/boot/trampoline_blob.o: $(BUILD)/trampoline.bin

$(BUILD)/ksyms0.o: scripts/mksyms.sh
	@mkdir -p $(BUILD)
	$(Q)scripts/mksyms.sh < /dev/null > $(BUILD)/ksyms0.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms0.S -o $@

$(BUILD)/relocs0.o: scripts/mkrelocs.sh
	@mkdir -p $(BUILD)
	$(Q)scripts/mkrelocs.sh > $(BUILD)/relocs0.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/relocs0.S -o $@

$(BUILD)/pass1.elf: $(KOBJS) $(BUILD)/ksyms0.o $(BUILD)/relocs0.o linker.ld
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms0.o $(BUILD)/relocs0.o

# The fix-up table for the moved image (kernel/relocation.h) comes from the first pass's relocations, which the
# second pass must reproduce.
$(BUILD)/hypervisor.elf: $(BUILD)/pass1.elf scripts/mksyms.sh scripts/mkrelocs.sh
	@$(if $(Q),echo "  LD      $@")
	$(Q)nm -n $< | scripts/mksyms.sh > $(BUILD)/ksyms.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)scripts/mkrelocs.sh $< > $(BUILD)/relocs.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/relocs.S -o $(BUILD)/relocs.o
	$(Q)$(LD) $(KLDFLAGS) -Map $(BUILD)/hypervisor.map -o $@ $(KOBJS) $(BUILD)/ksyms.o $(BUILD)/relocs.o
	$(Q)cmp -s <(nm -n $< | grep -v ksyms) <(nm -n $@ | grep -v ksyms) || \
		{ echo "error: layout changed between link passes"; rm -f $@; exit 1; }
	$(Q)scripts/mkrelocs.sh $@ | cmp -s - $(BUILD)/relocs.S || \
		{ echo "error: relocations changed between link passes"; rm -f $@; exit 1; }
	$(Q)objcopy --remove-relocations='*' $@    # in the table now; GRUB's multiboot2 loader chokes on them
	$(Q)objdump -d -S --no-show-raw-insn $@ > $(BUILD)/hypervisor.lst
	$(Q)size $@ | tail -1 | awk '{printf "  SIZE    text=%d data=%d bss=%d\n", $$1, $$2, $$3}'

# ---- test guests: flat binaries that start in real mode at 0000:7C00 ----
GUEST_VOCABULARY := kernel/msr.h kernel/apic_regs.h kernel/bits.h kernel/x86_regs.h
$(BUILD)/guests/%.bin: tests/guests/%.S tests/guests/guest.h vcpu/hypervisor_abi.h $(GUEST_VOCABULARY)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUEST   $@")
	$(Q)$(CC) $(KASFLAGS) -c $< -o $(BUILD)/guests/$*.o
	$(Q)$(LD) -e start -Ttext 0x7C00 --oformat binary -o $@ $(BUILD)/guests/$*.o

# The self-test guest: a 32-bit C program, a multiboot1 ELF kernel at 1 MiB (the built-in default guest).
SELFTEST_SRCS := $(wildcard tests/guests/selftest/*.c tests/guests/selftest/*.S)
GCFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -mno-sse -mno-mmx -fno-asynchronous-unwind-tables
$(BUILD)/guests/selftest.elf: $(SELFTEST_SRCS) tests/guests/selftest/link.ld $(wildcard tests/guests/selftest/*.h) \
		vcpu/hypervisor_abi.h kernel/multiboot_abi.h $(GUEST_VOCABULARY)
	@mkdir -p $(BUILD)/guests/selftest
	@$(if $(Q),echo "  GUEST   $@")
	$(Q)for f in $(SELFTEST_SRCS); do \
		$(CC) $(GCFLAGS) $$( [ "$${f##*.}" = S ] && echo -D__ASSEMBLY__ ) -c $$f \
			-o $(BUILD)/guests/selftest/$$(basename $$f).o || exit 1; done
	$(Q)$(LD) -m elf_i386 -nostdlib --no-warn-rwx-segments -T tests/guests/selftest/link.ld -o $@ $(BUILD)/guests/selftest/*.o
# The same kernel linked at 0x8000, in low memory where boot data used to go (--defsym before -T, which tests it).
$(BUILD)/guests/selftest-low.elf: $(BUILD)/guests/selftest.elf
	$(Q)$(LD) -m elf_i386 -nostdlib --no-warn-rwx-segments --defsym LOAD_ADDR=0x8000 -T tests/guests/selftest/link.ld \
		-o $@ $(BUILD)/guests/selftest/*.o

# The Linux guest: Debian's cloud kernel and busybox-static (fetched, cached: scripts/fetch-linux.sh), an
# initramfs with the test's own /init and hvtool (tests/linux/).
LINUX_DIR := $(BUILD)/linux
LINUX_GUEST := $(LINUX_DIR)/vmlinuz $(LINUX_DIR)/initramfs.cpio
$(LINUX_DIR)/vmlinuz $(LINUX_DIR)/busybox: scripts/fetch-linux.sh
	@mkdir -p $(LINUX_DIR)
	$(Q)scripts/fetch-linux.sh $(LINUX_DIR)
	$(Q)touch $(LINUX_DIR)/vmlinuz $(LINUX_DIR)/busybox
$(LINUX_DIR)/hvtool: tests/linux/hvtool.c
	@mkdir -p $(LINUX_DIR)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -Os -Wall -Wextra -Werror \
		-o $@ $<
$(LINUX_DIR)/initramfs.cpio: tests/linux/init $(LINUX_DIR)/busybox $(LINUX_DIR)/hvtool scripts/mkinitramfs.py
	$(Q)$(PYTHON) scripts/mkinitramfs.py $@ tests/linux/init $(LINUX_DIR)/busybox $(LINUX_DIR)/hvtool
linux-guest: $(LINUX_GUEST)

# ---- boot media ----
iso: $(BUILD)/hypervisor.iso
# The ISO depends on the command line it carries: the stamp changes only when CMDLINE does.
$(BUILD)/cmdline.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CMDLINE) $(MODULE_ARGS)' | cmp -s - $@ || echo '$(CMDLINE) $(MODULE_ARGS)' > $@
FORCE:

# The banner carries the version: rebuild main.o when it changes.
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
$(BUILD)/obj/boot/main.o: $(BUILD)/version.stamp

# The default guest is the built-in self test; GUEST="FILE MODULE-COMMAND-LINE" replaces it, GUEST= runs none,
# MODULES="FILE..." gives it modules (a multiboot guest's `module`s). KERNEL=bzImage runs Linux instead, with
# INITRD="FILE..." (concatenated in order) and APPEND="its command line".
GUEST ?= $(BUILD)/guests/selftest.elf multiboot name=selftest
APPEND ?= console=ttyS0
ifneq ($(strip $(KERNEL)),)
MODULE_ARGS = $(KERNEL) "linux name=linux -- $(APPEND)" $(foreach f,$(INITRD),$(f) "initrd")
else ifneq ($(strip $(GUEST)),)
MODULE_ARGS = $(firstword $(GUEST)) "$(wordlist 2,$(words $(GUEST)),$(GUEST))" \
	$(foreach f,$(MODULES),$(f) "module -- $(notdir $(f))")
endif
# Bochs's instructions per emulated second: Linux wants more room in time (tests/boot/cases_linux.py says why).
BOCHS_IPS ?= $(if $(strip $(KERNEL)),200000000,4000000)
$(BUILD)/hypervisor.iso: $(BUILD)/hypervisor.elf iso/grub.cfg scripts/mkiso.sh $(BUILD)/cmdline.stamp $(GUESTS) \
		$(KERNEL) $(INITRD) $(MODULES)
	$(Q)scripts/mkiso.sh $@ $(BUILD)/hypervisor.elf "$(CMDLINE)" 0 $(MODULE_ARGS)

# The PXE tree: GRUB netboot for BIOS and UEFI, and an iPXE script, with the same command line and guest.
pxe: $(BUILD)/hypervisor.elf iso/grub.cfg iso/hypervisor.ipxe scripts/mkpxe.sh $(GUESTS) $(KERNEL) $(INITRD) $(MODULES)
	$(Q)scripts/mkpxe.sh $(BUILD)/pxe $(BUILD)/hypervisor.elf "$(CMDLINE)" 0 $(MODULE_ARGS)
	@echo "  PXE     $(BUILD)/pxe (boot files: README, \"Booting it\")"

# ---- running ----
# PLATFORM=auto picks QEMU/KVM when this machine exposes VMX through /dev/kvm, else Bochs.
run: deps
	$(Q)$(MAKE) --no-print-directory iso
	$(Q)$(PYTHON) scripts/emulate.py --platform $(PLATFORM) --cpus $(CPUS) --iso $(BUILD)/hypervisor.iso \
		--workdir $(BUILD)/run --ips $(BOCHS_IPS) $(if $(MEMORY),--memory $(MEMORY)) $(RUN_ARGS)

# Debian's kernel with an interactive busybox shell on the console: what is typed here reaches it through the
# emulated UART; `poweroff` ends the run (status 0).
run-linux: deps linux-guest
	$(Q)$(MAKE) --no-print-directory run KERNEL=$(LINUX_DIR)/vmlinuz INITRD=$(LINUX_DIR)/initramfs.cpio \
		APPEND="console=ttyS0 shell" MEMORY=$(or $(MEMORY),512) RUN_ARGS="--console --timeout 86400"

# Bochs with its debugger prompt on this terminal; COM1 goes to build/debug/serial.log.
debug: deps
	$(Q)$(MAKE) --no-print-directory iso
	$(Q)$(PYTHON) scripts/emulate.py --platform bochs --cpus $(CPUS) --iso $(BUILD)/hypervisor.iso \
		--workdir $(BUILD)/debug --interactive

deps:
	$(Q)scripts/install-deps.sh

# ---- tests ----
$(BUILD)/unit-tests: $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(KHDRS)
	@mkdir -p $(BUILD)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $(UNIT_SRCS)

unit: $(BUILD)/unit-tests
	$(Q)$(BUILD)/unit-tests

$(BUILD)/fuzz/%: tests/fuzz/%.c $(PURE_SRCS) $(KHDRS) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZCC) -std=gnu11 -O1 -g -I. -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(PURE_SRCS)

fuzz-quick: $(FUZZ_TARGETS)
	$(Q)$(if $(FUZZ_TARGETS),scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS),echo "fuzz: no targets")

fuzz: FUZZ_SECONDS := 300
fuzz: fuzz-quick

boottest: $(BUILD)/hypervisor.elf $(GUESTS) $(LINUX_GUEST)
	@echo "boot tests (QEMU TCG and Bochs; logs in $(BUILD)/tests/NAME/):"
	$(Q)$(PYTHON) tests/boot/boottest.py $(BOOTTEST_ARGS)

# ---- benchmark (not part of make test): exit and boot paths in instructions under Bochs; build/bench/results.txt ----
bench: deps
	$(Q)$(MAKE) --no-print-directory $(if $(Q),-s) $(BUILD)/hypervisor.elf $(BUILD)/guests/bench.bin
	$(Q)$(PYTHON) scripts/bench.py --build $(BUILD)

# Debian's kernel to /init under the hypervisor and booted directly (not part of make test; ~5 minutes)
bench-linux: deps
	$(Q)$(MAKE) --no-print-directory $(if $(Q),-s) $(BUILD)/hypervisor.elf linux-guest
	$(Q)$(PYTHON) scripts/bench_linux.py --build $(BUILD)

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory fuzz-quick
	$(Q)$(MAKE) --no-print-directory boottest

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
