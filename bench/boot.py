#!/usr/bin/env python3
"""Boot timing for the closing notes of the boot issue (a measurement, not a test).

Boots out/k1os.iso under QEMU (TCG, BIOS, RAM mode) N times and reports the median of:
QEMU start -> shell prompt on the serial console (wall clock), and /init -> prompt taken
from the kernel's own timestamps (dmesg: the line where the kernel runs /init, and a line
the prompt's first command writes to /dev/kmsg: one clock, unlike /proc/uptime, whose clock
is some 30 ms behind the log's). With --min-mem it also finds the smallest -m
(in MB) that still reaches the prompt.

Usage: python3 bench/boot.py [--min-mem] [IMAGE.iso...]   (environment: RUNS=5, ISO=out/k1os.iso)
Boot times under TCG move with the load of the machine: to compare images, name them all;
they boot in turns (RUNS rounds) and each gets its medians. For where the time goes, boot
with `k1os.debug` (type `ram k1os.debug` at the ISOLINUX prompt): stage 1 and stage 2 print
each step with the kernel clock's time.
"""
import os, re, statistics, subprocess, sys, time

ISO = os.environ.get("ISO", "out/k1os.iso")

def boot(mem="64M", timeout=120, iso=ISO):
    """Returns (seconds to prompt, /init->prompt seconds) or None when no prompt came."""
    cmd = ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-m", mem, "-no-user-config",
           "-drive", f"file={iso},media=cdrom,if=ide,readonly=on", "-boot", "d",
           "-display", "none", "-serial", "stdio", "-monitor", "none", "-nic", "none", "-no-reboot"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    os.set_blocking(p.stdout.fileno(), False)
    buf = b""
    def wait_for(pat, limit):
        nonlocal buf
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                chunk = p.stdout.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                buf += chunk
                m = re.search(pat, buf)
                if m:
                    return m
            elif p.poll() is not None:
                return None
            else:
                time.sleep(0.01)
        return None
    try:
        # the line editor clears the rest of the line after its prompt
        if not wait_for(rb"[#$] (\x1b\[K)?$", timeout):
            return None
        t_prompt = time.monotonic() - t0
        # The kernel's clock at the prompt, and when it started /init.
        buf = b""
        p.stdin.write(b"echo K1-PROMPT >/dev/kmsg; dmesg; echo K1-END-$((6*7))\n")
        p.stdin.flush()
        init_to_prompt = None
        if wait_for(rb"K1-END-42", 30):
            up = re.search(rb"\[\s*(\d+\.\d+)\] K1-PROMPT", buf)
            run = re.search(rb"\[\s*(\d+\.\d+)\][^\n]*(Run /init|Freeing unused kernel)", buf)
            if up and run:
                init_to_prompt = float(up.group(1)) - float(run.group(1))
        p.stdin.write(b"poweroff -f\n")
        p.stdin.flush()
        return t_prompt, init_to_prompt
    finally:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

def main():
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__.strip())
        return
    n = int(os.environ.get("RUNS", "5"))
    isos = [a for a in sys.argv[1:] if not a.startswith("-")] or [ISO]
    results = {iso: ([], []) for iso in isos}
    for i in range(n):
        for iso in isos:
            name = f"{iso}: " if len(isos) > 1 else ""
            r = boot(iso=iso)
            if r is None:
                print(f"run {i + 1}: {name}no prompt", flush=True)
                continue
            results[iso][0].append(r[0])
            if r[1] is not None:
                results[iso][1].append(r[1])
            init = "?" if r[1] is None else f"{r[1]:.3f}"
            print(f"run {i + 1}: {name}QEMU start -> prompt {r[0]:.2f} s; /init -> prompt {init} s", flush=True)
    for iso, (starts, inits) in results.items():
        name = f"{iso}: " if len(isos) > 1 else ""
        if starts:
            print(f"{name}median QEMU start -> prompt: {statistics.median(starts):.2f} s over {len(starts)} runs")
        if inits:
            print(f"{name}median /init -> prompt (kernel clock): {statistics.median(inits):.3f} s")
    if "--min-mem" in sys.argv:
        for mb in (16, 18, 20, 22, 24, 26, 28, 32):
            r = boot(f"{mb}M", timeout=90, iso=isos[0])
            print(f"-m {mb}M: {'prompt' if r else 'no prompt'}", flush=True)
            if r:
                break

if __name__ == "__main__":
    main()
