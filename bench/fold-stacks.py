#!/usr/bin/env python3
"""Folds `perf script` output into one line per stack ("outer;...;inner count"), the input of
flame graph tools, and prints the functions with the most samples, on their own (self) and with
what they call (inclusive).

    perf script -i perf.data | bench/fold-stacks.py OUT.folded [TOP]
"""
import collections
import re
import sys

out_path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
stacks = collections.Counter()
frames = []


def symbol(line):
    # "    7f12ab3c4d5e $s7Gateway...Tf4_n + 0x1f (/path/to/binary)"
    parts = line.strip().split(" ", 1)
    name = parts[1] if len(parts) > 1 else parts[0]
    name = re.sub(r"\+0x[0-9a-f]+", "", name)
    name = re.sub(r" \(.*\)$", "", name).strip()
    return name or "[unknown]"


def flush():
    if frames:
        stacks[";".join(reversed(frames))] += 1
        frames.clear()


for line in sys.stdin:
    if not line.strip():
        flush()
    elif line.startswith((" ", "\t")):
        frames.append(symbol(line))
    else:
        flush()
flush()

with open(out_path, "w") as out:
    for stack, count in stacks.most_common():
        out.write(f"{stack} {count}\n")

total = sum(stacks.values()) or 1
own = collections.Counter()
inclusive = collections.Counter()
for stack, count in stacks.items():
    names = stack.split(";")
    own[names[-1]] += count
    for name in set(names):
        inclusive[name] += count


def demangled(name):
    return name[:150]


print(f"{total} samples; folded stacks in {out_path}")
print(f"\n-- self (top {top})")
for name, count in own.most_common(top):
    print(f"{100 * count / total:6.2f}%  {demangled(name)}")
print(f"\n-- inclusive (top {top})")
for name, count in inclusive.most_common(top):
    print(f"{100 * count / total:6.2f}%  {demangled(name)}")
