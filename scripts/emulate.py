#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot an ISO under QEMU (TCG), QEMU/KVM or Bochs, capture COM1, and report the run's exit status.

Used by `make run` (streams the serial log) and by the boot tests (tests/boot/boottest.py).
The status is read from the hypervisor's "exit: status=N" line, which every platform prints; under QEMU the
isa-debug-exit status ((N << 1) | 1) is cross-checked.
"""
import argparse
import os
import pty
import select
import re
import shutil
import signal
import subprocess
import sys
import termios
import time
import tty

EXIT_LINE = re.compile(r"\] exit: status=(\d+) ")
BOCHS_CPU_MODEL = "corei7_haswell_4770"   # VMX with EPT, VPID, unrestricted guest (PLATFORMS.md)
OVMF = "/usr/share/ovmf/OVMF.fd"          # Debian's ovmf: code and variables in one image, for -bios
# How QEMU boots: from the ISO (BIOS or UEFI), or over PXE from a TFTP tree made by scripts/mkpxe.sh.
PXE_BOOTFILES = {
    "pxe-grub": "/boot/grub/i386-pc/core.0",            # BIOS PXE ROM -> GRUB -> multiboot2
    "pxe-grub-uefi": "/boot/grub/x86_64-efi/core.efi",  # OVMF's network boot -> GRUB EFI -> multiboot2
    "pxe-ipxe": "/boot/hypervisor.ipxe",                # QEMU's iPXE ROM runs the script -> multiboot1
}
BOOTS = ["cdrom", "uefi"] + list(PXE_BOOTFILES)


def kvm_has_vmx():
    """True when this machine can run QEMU/KVM with VMX exposed to the guest."""
    try:
        with open("/proc/cpuinfo") as f:
            has_vmx = any(line.startswith("flags") and " vmx" in line for line in f)
        return has_vmx and os.access("/dev/kvm", os.R_OK | os.W_OK)
    except OSError:
        return False


def pick_platform(platform):
    if platform == "auto":
        return "kvm" if kvm_has_vmx() else "bochs"
    return platform


BOCHS_IPS = 4000000     # Bochs's instructions per emulated second: its TSC rate and the guest's time base


def bochs_config(iso, serial, log, cpus, memory_mib, ips=BOCHS_IPS):
    return f"""display_library: term
megs: {memory_mib}
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model={BOCHS_CPU_MODEL}, count={cpus}, ips={ips}, reset_on_triple_fault=0
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={serial}
log: {log}
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
clock: sync=none, time0=946684800
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
port_e9_hack: enabled=1
"""


def qemu_boot_args(boot, media):
    """QEMU arguments that boot `media` (the ISO, or for pxe-* the TFTP directory) the given way.

    PXE uses QEMU's user-mode network with restrict=on: DHCP and TFTP come from QEMU itself and no packet
    leaves it."""
    if boot in PXE_BOOTFILES:
        args = ["-netdev", f"user,id=n,restrict=on,tftp={media},bootfile={PXE_BOOTFILES[boot]}",
                "-device", "e1000,netdev=n", "-boot", "n"]
    else:
        args = ["-cdrom", media]
    if boot in ("uefi", "pxe-grub-uefi"):
        args += ["-bios", OVMF]
    return args


def command(platform, iso, serial, workdir, cpus, memory_mib, interactive, boot="cdrom", ips=BOCHS_IPS):
    if platform == "bochs":
        if boot != "cdrom":
            raise ValueError(f"boot {boot!r} needs QEMU; Bochs boots the ISO from its BIOS only")
        rc = os.path.join(workdir, "bochsrc")
        with open(rc, "w") as f:
            f.write(bochs_config(iso, serial, os.path.join(workdir, "bochs.log"), cpus, memory_mib, ips))
        dbg = os.path.join(workdir, "dbg.rc")
        with open(dbg, "w") as f:
            f.write("c\n")
        env = dict(os.environ, TERM="dumb")
        return ["bochs", "-q", "-f", rc, "-rc", dbg], env
    cmd = ["qemu-system-x86_64"] + qemu_boot_args(boot, iso) + [
           "-display", "none", "-smp", str(cpus), "-m", str(memory_mib),
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]
    cmd += ["-enable-kvm", "-cpu", "host"] if platform == "kvm" else ["-cpu", "max"]
    cmd += ["-serial", "mon:stdio" if interactive else f"file:{serial}"]
    return cmd, None


class SerialTerminal:
    """Bochs's COM1 on a pseudo-terminal (com1 mode=term): its output is copied to the serial log, and once
    `trigger` appears in it, `data` is typed into it, as a user at a terminal would."""

    def __init__(self, serial, trigger, data, pace=False):
        self.master, slave = pty.openpty()
        self.device = os.ttyname(slave)
        self.log = open(serial, "wb")
        self.seen = b""
        self.trigger, self.data = trigger.encode(), data.encode()
        self.keyboard = None    # a file descriptor whose bytes are typed as they come (--console)
        self.pace = pace

    def pump(self):
        if self.keyboard is not None:
            while select.select([self.keyboard], [], [], 0)[0]:
                typed = os.read(self.keyboard, 1024)
                if not typed:
                    self.keyboard = None
                    break
                os.write(self.master, typed)
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            self.log.write(chunk)
            self.log.flush()
            self.seen += chunk
            if self.data and self.trigger in self.seen and not self.pace:
                os.write(self.master, self.data)
                self.data = b""
        # Paced: one byte a pump (50 ms), as a person types; the hypervisor looks at the machine's UART,
        # whose FIFO holds 16 bytes, every 10 ms of guest time while the guest has receive interrupts on.
        if self.data and self.pace and self.trigger in self.seen:
            os.write(self.master, self.data[:1])
            self.data = self.data[1:]


def run(platform, iso, workdir, cpus=1, memory_mib=256, timeout=60, stream=False, interactive=False,
        boot="cdrom", serial_input=None, ips=BOCHS_IPS, console=False):
    """Runs one boot. Returns (status or None, serial log text, platform exit code, timed_out).

    `ips`: Bochs only, its instructions per emulated second (the TSC rate).
    `iso` is the TFTP directory when `boot` is one of the pxe-* paths. `serial_input` = (trigger, text[, paced]):
    Bochs only; types `text` on COM1 once the log shows `trigger` (paced: a byte every 50 ms). `console`:
    what is typed on this terminal goes to COM1 (Bochs), or QEMU's serial is this terminal."""
    platform = pick_platform(platform)
    interactive = interactive or (console and platform != "bochs")    # QEMU: its serial on this terminal
    os.makedirs(workdir, exist_ok=True)
    serial = os.path.join(workdir, "serial.log")
    if os.path.exists(serial):
        os.remove(serial)
    term = SerialTerminal(serial, *serial_input) if serial_input and platform == "bochs" else None
    saved_tty = None
    if console and platform == "bochs":
        # The guest's console on this terminal: what is typed goes to COM1 as it is typed (cbreak: no line
        # editing, no echo, Ctrl-C still stops make); the serial log is shown as usual.
        term = SerialTerminal(serial, "", "")
        term.keyboard = sys.stdin.fileno()
        if os.isatty(term.keyboard):
            saved_tty = termios.tcgetattr(term.keyboard)
            tty.setcbreak(term.keyboard)
    cmd, env = command(platform, os.path.abspath(iso), serial, workdir, cpus, memory_mib, interactive, boot, ips)
    if term:
        with open(cmd[3]) as f:         # the bochsrc: COM1 on the terminal instead of the file
            config = f.read().replace(f"mode=file, dev={serial}", f"mode=term, dev={term.device}")
        with open(cmd[3], "w") as f:
            f.write(config)
    if interactive:
        if platform == "bochs":
            cmd = cmd[:-2]      # no "-rc dbg.rc": stop at the debugger prompt
        rc = subprocess.call(cmd, env=env)
        return None, "", rc, False
    out = open(os.path.join(workdir, "emulator.out"), "w")
    # Bochs ignores SIGTERM and wants a session of its own (PLATFORMS.md): SIGINT drops it into its
    # debugger, which reads EOF from /dev/null and exits.
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    shown = 0
    timed_out = False
    while proc.poll() is None:
        if term:
            term.pump()
        if stream:
            shown = show_new(serial, shown)
        if time.monotonic() > deadline:
            timed_out = True
            stop(proc)
            break
        time.sleep(0.05)
    if term:
        term.pump()
    if saved_tty:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved_tty)
    if stream:
        show_new(serial, shown)
    text = read(serial)
    return parse_status(text), text, proc.returncode, timed_out


def stop(proc):
    for sig, wait in ((signal.SIGINT, 3), (signal.SIGKILL, 3)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait)
            return
        except (subprocess.TimeoutExpired, ProcessLookupError):
            continue


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def show_new(path, shown):
    text = read(path)
    if len(text) > shown:
        sys.stdout.write(text[shown:])
        sys.stdout.flush()
    return len(text)


def parse_status(text):
    m = EXIT_LINE.findall(text)
    return int(m[-1]) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--platform", default="auto", choices=["auto", "qemu", "kvm", "bochs"])
    ap.add_argument("--cpus", type=int, default=1)
    ap.add_argument("--memory", type=int, default=256, help="guest RAM in MiB")
    ap.add_argument("--iso", required=True, help="the ISO, or the TFTP directory (make pxe) for --boot pxe-*")
    ap.add_argument("--boot", default="cdrom", choices=BOOTS,
                    help="cdrom (BIOS), uefi (OVMF), pxe-grub, pxe-grub-uefi or pxe-ipxe (QEMU only)")
    ap.add_argument("--workdir", default="build/run")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--console", action="store_true",
                    help="Bochs: type into the guest: this terminal's input goes to COM1 as it is typed")
    ap.add_argument("--ips", type=int, default=BOCHS_IPS,
                    help="Bochs: instructions per emulated second (the TSC rate); Linux guests want 50000000")
    ap.add_argument("--interactive", action="store_true",
                    help="QEMU: serial and monitor on this terminal; Bochs: its debugger prompt")
    args = ap.parse_args()
    platform = pick_platform(args.platform)
    if platform == "bochs" and args.boot != "cdrom":
        sys.exit(f"--boot {args.boot} runs under QEMU only: add --platform qemu (or kvm)")
    if platform == "bochs" and not shutil.which("bochs"):
        sys.exit("bochs is not installed: run scripts/install-deps.sh")
    print(f"run: {platform}, {args.cpus} CPU(s), serial log in {args.workdir}/serial.log", flush=True)
    status, _, rc, timed_out = run(platform, args.iso, args.workdir, args.cpus, args.memory, args.timeout,
                                   stream=True, interactive=args.interactive, boot=args.boot, ips=args.ips,
                                   console=args.console)
    if args.interactive:
        sys.exit(rc)
    if timed_out:
        print(f"run: timed out after {args.timeout} s")
        sys.exit(124)
    if status is None:
        print(f"run: the hypervisor printed no exit status (emulator exit code {rc})")
        sys.exit(125)
    print(f"run: exit status {status}")
    sys.exit(status)


if __name__ == "__main__":
    main()
