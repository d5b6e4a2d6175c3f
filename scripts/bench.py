#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: the VM-exit and boot paths in instructions (Bochs, one CPU), image size and resident memory.

Bochs with one CPU advances the TSC exactly one per retired instruction, plus one per VM exit (PLATFORMS.md).
The guest tests/guests/bench.S times N iterations of each exit kind between two RDTSCs, and the same loop with a
NOP where the exiting instruction was: (tsc - base) / N is the number of hypervisor instructions per round trip
(the exit's own tick stands in for the NOP's; the guest's other instructions cancel). Bochs's debugger, driven by
an rc script, adds what the guest cannot see: the TSC at hypervisor milestones (breakpoints), and an instruction
trace of one exit of each kind (between two magic breakpoints in the guest) that gives the VMREAD/VMWRITE count
and the functions the time goes to. The debugger does not advance the TSC, so it does not perturb the figures.
The whole run is done twice and must come out identical. A third run exercises the guest's cycles mode (the
kvm-unit-tests doubling loop) with a small goal. --platform kvm runs the guest under QEMU/KVM instead, where it
picks the cycles mode (goal 2^30) by itself, and prints cycles per exit.

Writes BUILD/bench/results.txt (the table printed here) and results.json; results-kvm.* for --platform kvm.
"""
import argparse
import bisect
import json
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import emulate  # noqa: E402

GUEST_START = 0x7C00            # first guest instruction: bench.S reads the TSC there
QUICK_START = "0000:7c20"       # bench.S entry point: cycles mode, goal 2^16
TIMEOUT = 300
# guest name -> (table label, target on instructions per exit, is an emulated port exit). A port exit's target
# is on its exit path alone (stub, dispatch, decode, RIP, resume); the device model's own cost is reported
# beside it, with no target.
KINDS = {
    "cpuid": ("CPUID leaf 0", 60, False),
    "vmcall": ("VMCALL, unknown number (ENOSYS)", None, False),
    "out-thr": ("OUT 0x3F8 UART THR (loopback)", 100, True),
    "in-lsr": ("IN 0x3FD UART LSR", 100, True),
    "rtc": ("OUT 0x70 + IN 0x71 CMOS seconds", 100, True),
    "rdmsr": ("RDMSR 0x3A IA32_FEATURE_CONTROL", None, False),
    "pit-msb": ("IN 0x42 PIT counter 2 (MSB)", None, True),
    "port61": ("IN 0x61 port B (refresh, OUT2)", None, True),
    "xapic-read": ("MOV from xAPIC 0xFEE00030 version", 600, False),
    "xapic-eoi": ("MOV to xAPIC 0xFEE000B0 EOI", 600, False),
    "x2apic-eoi": ("WRMSR 0x80B x2APIC EOI", 150, False),
    "self-ipi": ("x2APIC self-IPI to handler, EOI", None, False),
    "apic-timer": ("APIC timer one-shot to handler, EOI", None, False),
}
EXITS_PER_ITERATION = {"rtc": 2, "self-ipi": 2, "apic-timer": 3}    # the others: 1
# Interrupt round trips, reported per iteration (all their exits) and split at each VMRESUME of the traced one:
# self-IPI = the WRMSR (the injection at its entry) + the handler's EOI; timer = the WRMSR that arms it + the
# VMX-preemption timer exit at the deadline (the injection at its entry) + the EOI.
INTERRUPT_KINDS = {"self-ipi": ("WRMSR SELF IPI, interrupt injected", "EOI"),
                   "apic-timer": ("WRMSR initial count (arm)", "deadline: preemption-timer exit, injected", "EOI")}
# The path each traced exit must take (a function its trace must show): a fast path for all but the kinds in
# RUN_LOOP, which must not reach vcpu_run; a figure from the run loop would measure a fast path that broke.
FAST_PATH = {"cpuid": "fast_cpuid", "vmcall": "vcpu_fast_exit", "out-thr": "vcpu_fast_io", "in-lsr": "vcpu_fast_io",
             "rtc": "vcpu_fast_io", "rdmsr": "vcpu_fast_exit", "pit-msb": "vcpu_fast_io", "port61": "vcpu_fast_io",
             "xapic-read": "mmio_emulate", "xapic-eoi": "mmio_emulate", "x2apic-eoi": "vcpu_fast_exit",
             "self-ipi": "apic_wrmsr", "apic-timer": "exit_preemption_timer"}
# Exits that take the run loop by design: the xAPIC page's EPT violations (fetch, decode, run: vcpu/mmio.c), and
# the interrupts, which the run loop injects.
RUN_LOOP = {"xapic-read", "xapic-eoi", "self-ipi", "apic-timer"}
# The local APIC's exits, split into the exit path and the APIC model: the model is devices/lapic*.c (vlapic_*) and
# vm/apic.c's functions below (its MSR and MMIO entry points, timer glue, and the interrupt source the run loop polls
# before each entry); the rest (stub, dispatch, page walk, fetch, decode, MMIO bus, resume) is the exit path.
APIC_KINDS = ("xapic-read", "xapic-eoi", "x2apic-eoi", "self-ipi", "apic-timer")
APIC_GLUE = {"apic_rdmsr", "apic_wrmsr", "apic_cr8_read", "apic_cr8_write", "apic_tsc_moved", "apic_ioapic_message",
             "apic_physical_dest", "apic_external_interrupt", "xapic_read", "xapic_write", "timer_register",
             "timer_moved", "irq_pending", "irq_ack", "irq_signals", "guest_tsc", "timer_fire"}
# The exit path of a port exit, as against the device model behind the bus: stub, dispatch, decode, RIP, resume.
EXIT_PATH_FUNCTIONS = {"vmx_exit_stub", "fast_c", "fast_io", "vcpu_fast_exit", "vcpu_fast_io", "exit_io", "exit_io_other", "vmx_enter",
                       "save_guest", "restore_host", "vcpu_run"}
MILESTONES = [  # (name, how to find the address)
    ("multiboot entry", "entry"),
    ("image moved to the top of RAM (kmain)", "kmain"),
    ("all CPUs online (smp_init returned)", "smp_init"),
    ("VMX on all CPUs (vmx_init_all returned)", "vmx_init_all"),
    ("memory sealed, \"boot: done\" (guest_boot)", "guest_boot"),
    ("first guest instruction (0000:7C00)", "guest"),
]
TEXT_TARGET = 64 * 1024
VMCS_TARGET = 6     # 5, plus the VMREAD of RFLAGS.TF that a single-stepping guest's trap needs
BENCH_LINE = re.compile(r"\[guest\] bench: (.*)$")
TRACE_LINE = re.compile(r"^\(0\)\.\[(\d+)\] \[0x([0-9a-f]+)\] [0-9a-f]+:[0-9a-f]+ \([^)]*\): (\S+)")


def sh(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


# ---- the image: milestone addresses, symbols, sizes ----

def elf_entry(path):
    with open(path, "rb") as f:
        head = f.read(32)
    if head[:4] != b"\x7fELF" or head[4] != 2:
        sys.exit(f"bench: {path} is not a 64-bit ELF file")
    return struct.unpack_from("<Q", head, 24)[0]


def return_address(image, caller, callee):
    """The address after `call <callee>` in `caller`: where the callee returns to."""
    lines = sh("objdump", "-d", "--no-show-raw-insn", f"--disassemble={caller}", image).splitlines()
    insns = [m for m in (re.match(r"\s*([0-9a-f]+):\s+(.*)", line) for line in lines) if m]
    for i, m in enumerate(insns[:-1]):
        if re.search(rf"call\s+[0-9a-f]+ <{callee}>", m.group(2)):
            return int(insns[i + 1].group(1), 16)
    sys.exit(f"bench: no call to {callee} in {caller}")


class Symbols:
    """The image's text symbols at their link addresses; after relocate(delta), addresses are the moved image's
    (early boot copies the image from its load address to the top of RAM: boot/relocate.c)."""
    def __init__(self, image):
        self.delta = 0
        syms = []
        for line in sh("nm", "-n", image).splitlines():
            addr, kind, name = line.split()[:3]
            if kind in "tTwW":
                syms.append((int(addr, 16), name))
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]
        self.start = self.lookup_addr("__image_start")
        self.end = self.lookup_addr("__text_end")

    def relocate(self, delta):
        self.delta = delta

    def lookup_addr(self, name):
        return self.addrs[self.names.index(name)] + self.delta

    def name(self, addr):
        i = bisect.bisect_right(self.addrs, addr - self.delta) - 1
        return self.names[i] if i >= 0 else "?"

    def is_hypervisor(self, addr):
        return self.start + self.delta <= addr < self.end + self.delta


def image_sizes(image):
    sizes = {}
    for line in sh("size", "-A", image).splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in (".text", ".rodata", ".data", ".bss", ".ksyms"):
            sizes[parts[0]] = int(parts[1])
    return sizes


# ---- running ----

def make_iso(out_dir, image, guest, module_cmdline, name):
    iso = os.path.join(out_dir, f"{name}.iso")
    subprocess.run([os.path.join(ROOT, "scripts", "mkiso.sh"), iso, image, "", "0", guest, module_cmdline],
                   check=True)
    return iso


def run_bochs(iso, workdir, rc_lines):
    """One Bochs run (one CPU) with the debugger driven by rc_lines. Returns (serial log, debugger output)."""
    os.makedirs(workdir, exist_ok=True)
    serial, log = os.path.join(workdir, "serial.log"), os.path.join(workdir, "bochs.log")
    for path in (serial, log):
        if os.path.exists(path):
            os.remove(path)
    rc, dbg = os.path.join(workdir, "bochsrc"), os.path.join(workdir, "dbg.rc")
    with open(rc, "w") as f:
        f.write(emulate.bochs_config(os.path.abspath(iso), serial, log, 1, 256) + "magic_break: enabled=1\n")
    with open(dbg, "w") as f:
        f.write("\n".join(rc_lines) + "\n")
    out_path = os.path.join(workdir, "debugger.out")
    with open(out_path, "w") as out:
        # Bochs wants a session of its own and ignores SIGTERM; SIGINT drops it into its debugger, which then
        # reads EOF and exits (PLATFORMS.md).
        subprocess.run(["timeout", "-k", "5", "-s", "INT", str(TIMEOUT), "bochs", "-q", "-f", rc, "-rc", dbg],
                       stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                       env=dict(os.environ, TERM="dumb"))
    return emulate.read(serial), emulate.read(out_path)


def debugger_script(addrs, traces):
    """Break at each milestone and print the tick count (= TSC), then trace between pairs of magic breaks."""
    rc = []
    for addr in addrs:
        rc += [f"lb 0x{addr:x}", "c", "ptime"]
    rc += [f"d {i + 1}" for i in range(len(addrs))]
    for _ in range(traces):
        rc += ["c", "trace on", "c", "trace off"]
    return rc + ["c"]


# ---- parsing ----

def guest_lines(serial):
    return [m.group(1) for m in map(BENCH_LINE.search, serial.splitlines()) if m]


def fields(line):
    return {k: int(v) if v.isdigit() else v for k, v in re.findall(r"([\w-]+)=(\S+)", line)}


def parse_traces(dbg, syms):
    """The instructions between each pair of magic breaks: per hypervisor function, VMREAD/VMWRITE, exits."""
    sections, current = [], None
    for line in dbg.splitlines():
        if line.startswith("Tracing enabled"):
            current = []
        elif line.startswith("Tracing disabled"):
            sections.append(current)
            current = None
        elif current is not None:
            m = TRACE_LINE.match(line)
            if m:
                current.append((int(m.group(2), 16), m.group(3)))
    result = []
    for insns in sections:
        hv = [(a, op) for a, op in insns if syms.is_hypervisor(a)]
        funcs, segments, count, segment_loop, run_loop = {}, [], 0, [], False
        for a, op in hv:
            f = syms.name(a)
            funcs[f] = funcs.get(f, 0) + 1
            count += 1
            run_loop |= f == "vcpu_run"
            if op in ("vmresume", "vmlaunch"):      # one exit's instructions, from the stub to its VMRESUME
                segments.append(count)
                segment_loop.append(run_loop)
                count, run_loop = 0, False
        result.append(dict(
            instructions=len(hv),
            exits=sum(1 for _, op in hv if op in ("vmresume", "vmlaunch")),
            vmread=sum(1 for _, op in hv if op == "vmread"),
            vmwrite=sum(1 for _, op in hv if op == "vmwrite"),
            segments=segments,
            segment_run_loop=segment_loop,
            functions=dict(sorted(funcs.items(), key=lambda kv: -kv[1]))))
    return result


def measure(iso, workdir, milestone_addrs, syms):
    serial, dbg = run_bochs(iso, workdir, debugger_script(milestone_addrs, len(KINDS)))
    lines = guest_lines(serial)
    if "done" not in lines:
        sys.exit(f"bench: the guest did not finish; see {workdir}/serial.log and {workdir}/debugger.out")
    ptimes = [int(t) for t in re.findall(r"^ptime: (\d+)", dbg, re.M)]
    if len(ptimes) != len(milestone_addrs):
        sys.exit(f"bench: {len(ptimes)} of {len(milestone_addrs)} milestone breakpoints hit; see {workdir}")
    first = fields(next(line for line in lines if line.startswith("started")))["first-tsc"]
    exact = {}
    for line in lines:
        if line.startswith("exact "):
            f = fields(line)
            exact[line.split()[1]] = f
    if "mode=exact n=" not in " ".join(lines) or list(exact) != list(KINDS):
        sys.exit(f"bench: the guest did not run in exact mode for every kind: {lines}")
    traces = parse_traces(dbg, syms)
    if len(traces) != len(KINDS):
        sys.exit(f"bench: {len(traces)} of {len(KINDS)} exit traces found; see {workdir}/debugger.out")
    for kind, trace in zip(KINDS, traces):
        if FAST_PATH[kind] not in trace["functions"] or (kind not in RUN_LOOP and "vcpu_run" in trace["functions"]):
            sys.exit(f"bench: the traced {kind} exit did not stay on its path ({FAST_PATH[kind]}"
                     f"{'' if kind in RUN_LOOP else ', not vcpu_run'}): {trace['functions']}")
    for kind in INTERRUPT_KINDS:        # the handler's EOI: nothing left for the run loop, so the fast path
        trace = dict(zip(KINDS, traces))[kind]
        if trace["segment_run_loop"][-1:] != [False]:
            sys.exit(f"bench: the traced {kind} iteration's EOI took the run loop: {trace['segment_run_loop']}")
    m = re.search(r"mem: hypervisor memory sealed at \[([0-9a-f]+)-([0-9a-f]+)\], (\d+) KiB of it free", serial)
    g = re.search(r"vm: hypervisor memory: (\d+) KiB free before the guest", serial)
    res = RESIDENT_LINE.search(serial)
    memory = None
    if m and g and res:
        start, end, free = int(m.group(1), 16), int(m.group(2), 16), int(g.group(1))
        memory = dict(start=start, end=end, kib=(end + 1 - start) // 1024, free_kib=free,
                      used_kib=(end + 1 - start) // 1024 - free, image_kib=int(res.group(3)),
                      boot_kib=int(res.group(1)))
    n = fields(next(line for line in lines if line.startswith("mode=exact")))["n"]
    for kind, e in exact.items():     # HC_EXIT_STATS around each loop: no exit but the measured ones
        want = e["n"] * EXITS_PER_ITERATION.get(kind, 1)
        if e["exits"] != want or e["base-exits"] != 0:
            sys.exit(f"bench: {kind}: {e['exits']} exits in the loop (expected {want}), {e['base-exits']} in the "
                     f"base loop (expected 0): something else exited; see {workdir}/serial.log")
    return dict(n=n, first_guest_tsc=first, milestones=ptimes, exact=exact,
                traces=dict(zip(KINDS, traces)), memory=memory)


BLOCK_LINE = re.compile(r"mem: hypervisor block \[([0-9a-f]+)-([0-9a-f]+)\) \((\d+) KiB for \d+ CPU\(s\)\) (.*)$", re.M)
RESIDENT_LINE = re.compile(r"mem: hypervisor resident: (\d+) KiB of its (\d+) KiB block in use so far \(image (\d+) KiB\)")


def placement(serial):
    """Where the hypervisor's block is (the boot log says), or None."""
    m = BLOCK_LINE.search(serial)
    return dict(start=int(m.group(1), 16), end=int(m.group(2), 16), kib=int(m.group(3)), how=m.group(4)) if m else None


def cycles_smoke(image, guest, out_dir):
    """The cycles mode (kvm-unit-tests doubling loop) with goal 2^16, in Bochs: does that path work? Its boot log
    also says where the hypervisor moved, which the measured runs' breakpoints need (same machine, same map)."""
    iso = make_iso(out_dir, image, guest, f"flat start={QUICK_START} name=bench-cycles", "bench-cycles")
    serial, _ = run_bochs(iso, os.path.join(out_dir, "cycles"), ["c"])
    lines = guest_lines(serial)
    rows = {line.split()[1]: fields(line) for line in lines if line.startswith("cycles ")}
    ok = "mode=cycles goal=2^16" in lines and list(rows) == list(KINDS) and "done" in lines
    return dict(ok=ok, goal=1 << 16, rows=rows, placement=placement(serial))


# ---- the report ----

def per_exit(r, kind):
    e = r["exact"][kind]
    exits_per_iter = e["exits"] / e["n"]       # iterations: N, or fewer for a long body (the timer row)
    per_iter = (e["tsc"] - e["base"]) / e["n"]
    return exits_per_iter, per_iter, per_iter / exits_per_iter


def port_split(t):
    """A traced port exit's instructions per exit: (exit path, device model behind the bus)."""
    ex = max(t["exits"], 1)
    path = sum(c for f, c in t["functions"].items() if f in EXIT_PATH_FUNCTIONS)
    return path / ex, (t["instructions"] - path) / ex


def apic_split(t):
    """A traced local APIC exit's instructions per exit: (exit path, APIC model)."""
    ex = max(t["exits"], 1)
    model = sum(c for f, c in t["functions"].items() if f.startswith("vlapic") or f in APIC_GLUE)
    return (t["instructions"] - model) / ex, model / ex


def verdict(value, target):
    return "" if target is None else ("met" if value <= target else "MISSED")


def report(r, sizes, cyc):
    out = []
    n = r["n"]
    out.append(f"Exit round trips: hypervisor instructions per exit (Bochs, 1 CPU, N={n}, 2 identical runs)")
    out.append(f"  {'exit kind':34} {'exits/it':>8} {'instr/exit':>10} {'VMREAD':>6} {'VMWRITE':>7}  target")
    for kind, (label, target, port) in KINDS.items():
        exits_per_iter, _, per = per_exit(r, kind)
        t = r["traces"][kind]
        ex = max(t["exits"], 1)
        vmcs = (t["vmread"] + t["vmwrite"]) / ex
        goals = []
        if target is not None and port:
            path, model = port_split(t)
            goals.append(f"exit path {path:g} <= {target}: {verdict(path, target)} (device model {model:g})")
        elif target is not None:
            goals.append(f"<= {target} instr: {verdict(per, target)}")
        if port:
            goals.append(f"<= {VMCS_TARGET} VMCS: {verdict(vmcs, VMCS_TARGET)}")
        exact = "" if r["exact"][kind]["rem"] == 0 else "~"
        out.append(f"  {label:34} {exits_per_iter:>8g} {exact + format(per, '.2f').rstrip('0').rstrip('.'):>10} "
                   f"{t['vmread'] / ex:>6g} {t['vmwrite'] / ex:>7g}  {', '.join(goals)}")
    out.append("  (~: the cost varies between iterations; the figure is the mean over N. VMREAD/VMWRITE: one traced")
    out.append("  exit of each kind. The figures include the exit stub, the run loop and VMRESUME.)")
    out.append("")
    out.append("Where the instructions go (one traced exit; functions by instruction count):")
    for kind, (label, _, _) in KINDS.items():
        t = r["traces"][kind]
        top = ", ".join(f"{f} {c}" for f, c in list(t["functions"].items())[:6])
        out.append(f"  {kind:10} {t['instructions']:>5}: {top}")
    out.append("Port exits split (one traced exit, per exit): the exit path (stub, dispatch, decode, RIP, resume)")
    out.append("and the device model behind the bus (board wiring, model, clock, console poll):")
    for kind, (label, _, port) in KINDS.items():
        if not port:
            continue
        path, model = port_split(r["traces"][kind])
        out.append(f"  {kind:10} exit path {path:>5g}, device model {model:>5g}")
    out.append("Local APIC exits split (one traced exit, per exit): the exit path (stub, dispatch, page walk, fetch,")
    out.append("decode, MMIO bus, resume) and the APIC model (devices/lapic*.c, vm/apic.c; its interrupt check at entry):")
    for kind in APIC_KINDS:
        path, model = apic_split(r["traces"][kind])
        out.append(f"  {kind:10} exit path {path:>5g}, APIC model {model:>5g}")
    out.append("Interrupts from the local APIC, per iteration (all its exits; the traced one split at each VMRESUME):")
    for kind, parts in INTERRUPT_KINDS.items():
        _, per_iter, _ = per_exit(r, kind)
        t = r["traces"][kind]
        split = ", ".join(f"{name} {n}" for name, n in zip(parts, t["segments"]))
        agree = "" if t["instructions"] == per_iter else f" (traced: {t['instructions']})"
        out.append(f"  {kind:10} {per_iter:>7g}{agree}: {split}")
    out.append("")
    out.append("Boot path in instructions (TSC at Bochs breakpoints; 1 CPU)")
    base = r["milestones"][0]
    for (name, _), t in zip(MILESTONES, r["milestones"]):
        out.append(f"  {name:44} TSC {t:>10}  +{t - base:>9} after multiboot entry")
    agree = "agrees" if r["first_guest_tsc"] == r["milestones"][-1] else "DISAGREES"
    out.append(f"  (the guest's own RDTSC at its first instruction reads {r['first_guest_tsc']}: {agree}; "
               f"no TSC offsetting)")
    out.append("")
    text = sizes.get(".text", 0)
    out.append("Image (size -A, without the reserved .ksyms section)")
    out.append(f"  .text {text} B ({text / 1024:.1f} KiB), .rodata {sizes.get('.rodata', 0)} B, "
               f".data {sizes.get('.data', 0)} B, .bss {sizes.get('.bss', 0)} B")
    out.append(f"  target .text <= 64 KiB: {verdict(text, TEXT_TARGET)}  (.text + .rodata = "
               f"{(text + sizes.get('.rodata', 0)) / 1024:.1f} KiB)")
    mem = r["memory"]
    if mem:
        out.append(f"Resident memory (Bochs 256 MiB, 1 CPU): the hypervisor's block [{mem['start']:x}-{mem['end'] + 1:x}) "
                   f"= {mem['kib']} KiB at the top of usable RAM;")
        out.append(f"  {mem['used_kib']} KiB in use with the guest running (image {mem['image_kib']} KiB, 128 KiB of it "
                   f"the reserved symbol table; {mem['boot_kib'] - mem['image_kib']} KiB allocated at boot, "
                   f"{mem['used_kib'] - mem['boot_kib']} KiB for the VM), {mem['free_kib']} KiB free")
        out.append("  What sets the block's size (kernel/memlayout.h): the image + HV_BLOCK_BASE 1 MiB (the VM: ~40 KiB of "
                   "EPT and bitmaps,")
        out.append("  and room for a guest image copied aside) + HV_BLOCK_PER_CPU 64 KiB for each CPU the MADT lists "
                   "(measured ~52 KiB:")
        out.append("  AP stack, per-CPU block, GDT, IST stacks, VMXON region, VMCS, vCPU, virtual APIC), rounded up to "
                   "2 MiB: 2 MiB")
        out.append("  up to 9 CPUs. A guest's RAM size costs the block nothing but EPT pages (4-5 for 4 GiB in 2 MiB "
                   "pages).")
    if cyc is not None:
        out.append("")
        out.append(f"Cycles mode (the kvm-unit-tests doubling loop, used off Bochs), exercised in Bochs with goal "
                   f"2^16 (start=0000:7c20): {'ok' if cyc['ok'] else 'FAILED'}")
        out += cycles_table(cyc["rows"])
    return "\n".join(out)


def cycles_table(rows):
    """The guest's cycles-mode lines: TSC cycles per iteration with the exit, with the NOP, and the difference."""
    out = [f"  {'exit kind':34} {'cycles/it':>10} {'base/it':>8} {'exit cost':>10} {'iterations':>11}"]
    for kind, (label, _, _) in KINDS.items():
        if kind in rows:
            c = rows[kind]
            out.append(f"  {label:34} {c['per-iteration']:>10} {c['base-per-iteration']:>8} "
                       f"{c['per-iteration'] - c['base-per-iteration']:>10} {c['iterations']:>11}")
    return out


def run_kvm(image, guest, out_dir):
    iso = make_iso(out_dir, image, guest, "flat name=bench", "bench-kvm")
    status, serial, _, timed_out = emulate.run("kvm", iso, os.path.join(out_dir, "kvm"), cpus=1, timeout=TIMEOUT)
    lines = guest_lines(serial)
    rows = {line.split()[1]: fields(line) for line in lines if line.startswith("cycles ")}
    out = ["Exit round trips in TSC cycles (QEMU/KVM, 1 CPU, kvm-unit-tests doubling loop to 2^30 cycles)"]
    out += cycles_table(rows)
    ok = status == 0 and not timed_out and "mode=cycles goal=2^30" in lines and list(rows) == list(KINDS)
    if not ok:
        out.append(f"error: the guest did not finish in cycles mode (status {status}); see {out_dir}/kvm/serial.log")
    return ok, "\n".join(out), dict(platform="kvm", lines=lines, cycles=rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build directory (default build)")
    ap.add_argument("--platform", default="bochs", choices=["bochs", "kvm"])
    args = ap.parse_args()
    image = os.path.join(args.build, "hypervisor.elf")
    guest = os.path.join(args.build, "guests", "bench.bin")
    out_dir = os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    for path in (image, guest):
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing: run make first")

    if args.platform == "kvm":
        ok, text, results = run_kvm(image, guest, out_dir)
    else:
        syms = Symbols(image)
        # The cycles run first: its boot log says where the image moved; the entry breakpoint stays at the load
        # address (the 32-bit entry runs there), the others follow the move.
        cyc = cycles_smoke(image, guest, out_dir)
        if not cyc["placement"]:
            sys.exit(f"bench: the boot log says nowhere where the hypervisor is; see {out_dir}/cycles/serial.log")
        syms.relocate(cyc["placement"]["start"] - syms.start)
        addrs = {"entry": elf_entry(image), "guest": GUEST_START, "guest_boot": syms.lookup_addr("guest_boot"),
                 "kmain": syms.lookup_addr("kmain"),
                 "smp_init": return_address(image, "kmain", "smp_init") + syms.delta,
                 "vmx_init_all": return_address(image, "kmain", "vmx_init_all") + syms.delta}
        milestone_addrs = [addrs[key] for _, key in MILESTONES]
        iso = make_iso(out_dir, image, guest, "flat name=bench", "bench")
        runs = [measure(iso, os.path.join(out_dir, f"run{i}"), milestone_addrs, syms) for i in (1, 2)]
        if runs[0] != runs[1]:
            diff = [k for k in runs[0] if runs[0][k] != runs[1][k]]
            sys.exit(f"bench: the two runs differ in {diff}: not deterministic")
        if not runs[0]["memory"] or runs[0]["memory"]["start"] != cyc["placement"]["start"]:
            sys.exit("bench: the measured runs put the hypervisor elsewhere than the cycles run")
        sizes = image_sizes(image)
        text = report(runs[0], sizes, cyc)
        ok = cyc["ok"]
        results = dict(platform="bochs", **runs[0], image=sizes, cycles_smoke=cyc,
                       per_exit={k: per_exit(runs[0], k)[2] for k in KINDS},
                       milestone_names=[name for name, _ in MILESTONES])
    print(text)
    stem = "results" if args.platform == "bochs" else f"results-{args.platform}"
    with open(os.path.join(out_dir, f"{stem}.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(out_dir, f"{stem}.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"(written to {os.path.relpath(out_dir, os.getcwd())}/{stem}.txt and {stem}.json)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
