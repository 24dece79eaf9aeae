#!/usr/bin/env python3
"""glibc-data.py -- the operation sequences behind tests/data/glibc/.

Writes one ops file per sequence (the op format of the glibc-record tool:
m/c/r/f/F/a/s lines, see tests/test-glibc-fidelity.c) and, given the
recorder, runs each through it and keeps what the real glibc did:

    tests/glibc-data.py OPSDIR                      write the ops only
    tests/glibc-data.py OPSDIR RECORDER DATADIR     ... and record them

The recorder is /work/shared/tools/glibc-record (built outside the tree);
only its output enters the project.  It is linked with a bss pad so that
its initial break lies where heapviz's sim heap starts, modulo 2 MiB
(0x555555759000 against 0x555555559000): memalign at alignments above a
page then picks the same spot in both:

    echo 'char hv_bss_pad[0x3a000];' > pad.c
    gcc -O2 -Wall -o glibc-record .../glibc-record/harness.c pad.c

A mapped chunk's place is the kernel's, and differs from the sim's; its
page-aligned start makes no difference to where its payload goes, except
for memalign above a page, whose leading piece then depends on it.  So
memalign above a page is only asked for sizes the heap serves.
  When glibc aborts, the recorder's
last op line has no result: this script completes it with the message
glibc printed ("abort=MESSAGE"), or the signal that ended the process
("signal=N") when glibc crashed without a message.

The sequences:
  lab-*       the 13 CS:APP malloc-lab traces, converted (a -> m)
  mix-*       seeded random mixes of malloc, calloc, realloc, free and
              memalign, sizes drawn around every threshold (fastbin 0x80,
              small/large 0x400, tcache 0x410, mmap 128 KiB and above)
  sbrk-*      foreign sbrk calls, page-aligned and not, before the first
              malloc and between others, and one that takes memory back
  dfree-*     double frees of every kind glibc tells apart, and the ones
              it lets through
  mremap-*    realloc of mapped chunks, growing, shrinking, to small sizes
  thresh-*    the mmap threshold raising itself, trimming
  align-*     memalign at every alignment, in the heap and mapped
  mallopt-*   mallopt's M_MXFAST (o 1 N) and M_MMAP_MAX (o -4 N) set
              before and between allocations, each consolidating, with
              random mixes around them

The mallopt op (o PARAM VALUE: mallopt(PARAM, VALUE), then brk=) is not
in glibc-record: the data for it was recorded with a copy of its harness
that adds it, outside the tree, as glibc-record itself is.
"""
import os
import random
import subprocess
import sys

TRACES = "/work/shared/traces"


def lab(name):
    ops = []
    with open(os.path.join(TRACES, name)) as f:
        lines = f.read().split("\n")[4:]
    for ln in lines:
        t = ln.split()
        if not t:
            continue
        if t[0] == "a":
            ops.append("m %s %s" % (t[1], t[2]))
        elif t[0] == "r":
            ops.append("r %s %s" % (t[1], t[2]))
        elif t[0] == "f":
            ops.append("f %s" % t[1])
    return ops


BUCKETS = [
    (0, 24), (25, 56), (100, 136), (200, 500), (990, 1050),
    (1100, 4000), (4000, 20000), (20000, 131000), (131040, 131100),
    (132000, 400000),
]


def size(rng, weights):
    lo, hi = rng.choices(BUCKETS, weights)[0]
    return rng.randint(lo, hi)


def mix(seed, n, weights, maxlive=150):
    rng = random.Random(seed)
    ops, live, nid = [], [], 0
    for _ in range(n):
        r = rng.random()
        if (r < 0.30 and live) or len(live) >= maxlive:
            i = live.pop(rng.randrange(len(live)))
            ops.append("f %d" % i)
        elif r < 0.42 and live:
            i = rng.choice(live)
            s = size(rng, weights)
            if rng.random() < 0.03:
                s = 0
                live.remove(i)
            ops.append("r %d %d" % (i, s))
        elif r < 0.52:
            nm = rng.choice([1, 1, 2, 3, 8, 16])
            ops.append("c %d %d %d" % (nid, nm, max(1, size(rng, weights) // nm)))
            live.append(nid)
            nid += 1
        elif r < 0.60:
            al = rng.choice([8, 16, 32, 64, 128, 256, 1024, 4096, 8192, 65536])
            sz = size(rng, weights)
            if al > 4096 and sz + al > 100000:
                al = 4096       # a mapping's place is the kernel's: see top
            ops.append("a %d %d %d" % (nid, al, sz))
            live.append(nid)
            nid += 1
        else:
            ops.append("m %d %d" % (nid, size(rng, weights)))
            live.append(nid)
            nid += 1
    for i in live:
        ops.append("f %d" % i)
    return ops


SMALL = [6, 6, 4, 3, 3, 2, 1, 0.3, 0.2, 0.1]
EDGES = [2, 2, 4, 2, 6, 2, 1, 0.5, 1, 0.5]
LARGE = [1, 1, 1, 1, 2, 3, 3, 2, 1, 1]


def fill(ids, sz):
    return ["m %d %d" % (i, sz) for i in ids]


def frees(ids):
    return ["f %d" % i for i in ids]


def scenarios():
    s = {}
    T = list(range(100, 107))          # seven blocks to fill a tcache bin
    s["dfree-tcache"] = ["m 0 24", "m 1 24", "F 0", "F 0"]
    s["dfree-tcache-reused"] = ["m 0 24", "F 0", "m 1 24", "F 0", "m 2 24",
                                "m 3 24", "F 1"]
    s["dfree-fasttop"] = fill(T, 24) + ["m 0 24", "m 1 24"] + frees(T) + \
        ["F 0", "F 0"]
    s["dfree-fastbin-dup"] = fill(T, 40) + ["m 0 40", "m 1 40", "m 9 10"] + \
        frees(T) + ["F 0", "F 1", "F 0"] + fill(range(200, 216), 40) + \
        frees(range(200, 216))
    s["dfree-large"] = ["m 0 2000", "m 1 24", "F 0", "F 0"]
    s["dfree-small-tcache-full"] = fill(T, 128) + ["m 0 128", "m 1 24"] + \
        frees(T) + ["F 0", "F 0"]
    s["dfree-top"] = ["m 0 1300", "F 0", "F 0"]
    s["dfree-top-below"] = ["m 0 1300", "m 1 1300", "F 1", "F 0", "F 1"]
    s["dfree-smallbin"] = fill(T, 200) + ["m 0 200", "m 1 24"] + frees(T) + \
        ["F 0", "m 2 3000", "F 0"]
    s["dfree-merged"] = ["m 0 2000", "m 1 2000", "m 2 24", "F 0", "F 1",
                         "F 1"]
    s["dfree-mmap"] = ["m 0 200000", "F 0", "F 0"]
    s["dfree-calloc"] = ["c 0 3 100", "c 1 1 5000", "m 2 24", "F 1", "F 0",
                         "F 0"]
    s["dfree-memalign"] = ["a 0 64 100", "m 1 24", "F 0", "F 0"]
    s["dfree-realloc-freed"] = ["m 0 100", "m 1 24", "F 0", "r 0 50",
                                "m 2 100", "m 3 100"]
    # realloc of a chunk in the tcache, which glibc does not look for:
    # growing into the free chunk above (the remainder joins the stale
    # entry in the same tcache bin), and moving, whose free then aborts
    s["realloc-cached-grow-next"] = ["m 0 1024", "m 1 70000", "m 2 16",
                                     "f 1", "F 0", "r 0 70008", "m 3 1024",
                                     "m 4 1024", "m 5 1024"]
    s["dfree-realloc-cached-moves"] = ["m 0 1024", "m 1 24", "m 2 3000",
                                       "m 3 24", "m 4 2000", "m 5 24",
                                       "f 2", "f 4", "F 0", "r 0 2000"]
    s["dfree-unsorted-twice"] = ["m 0 3000", "m 1 24", "m 2 3000",
                                 "m 3 24", "F 0", "F 2", "F 0"]
    # foreign sbrk
    s["sbrk-first-aligned"] = ["s 4096", "m 0 24", "m 1 5000", "f 0", "f 1"]
    s["sbrk-first-odd"] = ["s 13", "m 0 24", "m 1 5000", "m 2 200000",
                           "f 1", "f 0", "f 2", "m 3 70000"]
    s["sbrk-first-8"] = ["s 8", "m 0 100", "m 1 140000", "f 0", "f 1"]
    s["sbrk-between-aligned"] = ["m 0 24", "m 1 1000", "s 8192",
                                 "m 2 130000", "m 3 60000", "f 1", "f 2",
                                 "f 3", "m 4 24", "f 0", "f 4"]
    s["sbrk-between-odd"] = ["m 0 24", "m 1 1000", "s 100", "m 2 130000",
                             "m 3 100000", "f 0", "f 1", "f 2", "f 3",
                             "m 5 500", "f 5"]
    s["sbrk-between-small"] = ["m 0 24", "s 24", "m 1 135000",
                               "m 2 200", "f 1", "m 3 131000", "f 0",
                               "f 2", "f 3"]
    s["sbrk-twice"] = ["m 0 5000", "s 4096", "m 1 140000", "s 77",
                       "m 2 140000", "f 0", "f 1", "f 2", "m 3 24"]
    s["sbrk-back"] = ["m 0 24", "s -4096", "m 1 200", "m 2 140000"]
    s["sbrk-after-trim"] = ["m 0 300000", "f 0", "m 1 200000", "f 1",
                            "s 333", "m 2 240000", "m 3 24", "f 2", "f 3"]
    # mapped chunks through realloc
    s["mremap-grow"] = ["m 0 200000", "r 0 300000", "r 0 1000000",
                        "r 0 1000001", "f 0"]
    s["mremap-shrink"] = ["m 0 1000000", "r 0 300000", "r 0 133000",
                          "r 0 100", "m 1 24", "r 0 24", "f 0", "f 1"]
    s["mremap-calloc"] = ["c 0 1000 200", "r 0 500000", "m 1 10",
                          "r 0 10", "f 0", "f 1"]
    s["mremap-memalign"] = ["a 0 4096 200000", "r 0 400000",
                            "a 1 4096 300000", "r 1 100", "f 0", "f 1"]
    s["mremap-to-heap"] = ["m 0 140000", "f 0", "m 1 140000",
                           "m 2 200000", "r 2 100000", "r 1 500000",
                           "f 1", "f 2"]
    # thresholds and trimming
    s["thresh-raise"] = ["m 0 200000", "f 0", "m 1 150000", "m 2 190000",
                         "m 3 210000", "f 1", "f 2", "f 3", "m 4 24"]
    s["thresh-raise-twice"] = ["m 0 140000", "f 0", "m 1 300000", "f 1",
                               "m 2 290000", "m 3 310000", "f 2", "f 3",
                               "m 4 700000", "f 4"]
    s["thresh-max"] = ["m 0 40000000", "f 0", "m 1 33554432", "f 1",
                       "m 2 33554500", "f 2", "m 3 140000", "f 3"]
    s["thresh-trim"] = ["m 0 100000", "m 1 100000", "m 2 100000", "f 2",
                        "f 1", "f 0", "m 3 24", "m 4 70000", "m 5 24",
                        "f 4", "f 3", "f 5"]
    s["thresh-trim-fast"] = fill(range(0, 20), 24) + ["m 30 90000"] + \
        frees(range(0, 20)) + ["f 30"]
    # memalign
    al = []
    n = 0
    for a in [1, 8, 16, 24, 32, 48, 64, 100, 128, 256, 512, 1024, 4096,
              8192, 65536, 1 << 20]:
        for sz in [0, 1, 24, 100, 1000, 5000, 140000]:
            if a > 4096 and sz == 140000:
                continue
            al.append("a %d %d %d" % (n, a, sz))
            n += 1
            if n % 3 == 0:
                al.append("f %d" % (n - 2))
    s["align-all"] = al
    s["align-first"] = ["a 0 4096 100", "m 1 24", "a 2 64 24", "f 0",
                        "f 1", "f 2", "m 3 24"]
    s["align-fill"] = ["a %d 64 %d" % (i, 16 + i * 8) for i in range(60)] + \
        frees(range(0, 60, 2)) + \
        ["a %d 256 %d" % (i, 40 + i) for i in range(60, 90)]
    # consolidation triggers
    s["consolidate-large"] = fill(T, 24) + fill(range(0, 10), 24) + \
        frees(T) + frees(range(0, 10)) + ["m 20 2000", "f 20"]
    s["consolidate-free"] = fill(T, 56) + fill(range(0, 10), 56) + \
        ["m 11 70000", "m 12 24"] + frees(T) + frees(range(0, 10)) + \
        ["f 11", "m 13 24"]
    s["consolidate-top"] = fill(T, 100) + fill(range(0, 12), 100) + \
        frees(T) + frees(range(0, 12)) + ["m 20 200", "m 21 140000",
                                          "m 22 130000"]
    s["unsorted-remainder"] = ["m 0 3000", "m 1 24", "f 0", "m 2 100",
                               "m 3 100", "m 4 100", "m 5 1000", "m 6 2000"]
    s["largebin-sort"] = sum([["m %d %d" % (i, 1100 + (i % 7) * 300),
                               "m %d 24" % (i + 100)] for i in range(30)],
                             []) + frees(range(0, 30, 1)) + \
        ["m 300 5000"] + ["m %d %d" % (i, 1000 + (i % 5) * 350)
                          for i in range(301, 330)]
    s["calloc-reuse"] = ["m 0 500", "m 1 24", "f 0", "c 2 1 500",
                         "c 3 10 10", "f 3", "c 4 10 10", "c 5 0 5",
                         "c 6 100000 3", "f 6", "c 7 1 140000"]
    return s


M_MXFAST, M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_MMAP_MAX = 1, -1, -3, -4


def mallopt_seqs():
    s = {}
    T = list(range(100, 107))
    U = list(range(200, 207))
    # fastbins off before the first malloc: a full tcache bin's overflow
    # goes to the unsorted bin and merges.
    s["mallopt-mxfast-0"] = ["o %d 0" % M_MXFAST] + fill(T, 24) + \
        ["m 0 24", "m 1 24", "m 2 24"] + frees(T) + \
        ["f 0", "f 1", "m 3 24", "m 4 40", "f 3", "f 4", "f 2"]
    # the largest fastbin chunks (0xa0): requests up to 160.
    s["mallopt-mxfast-160"] = ["o %d 160" % M_MXFAST] + fill(T, 150) + \
        fill(U, 120) + ["m 0 150", "m 1 120", "m 2 24"] + frees(T) + \
        frees(U) + ["f 0", "f 1", "m 3 150", "m 4 120", "m 5 2000",
                    "f 3", "f 4", "f 5", "f 2"]
    # set while fastbin chunks wait: mallopt consolidates them first.
    s["mallopt-mxfast-between"] = fill(T, 40) + \
        ["m 0 40", "m 1 40", "m 2 40", "m 9 24"] + frees(T) + \
        ["f 0", "f 1", "o %d 64" % M_MXFAST, "m 3 40", "f 2", "m 4 40",
         "o %d 0" % M_MXFAST, "f 3", "o %d 128" % M_MXFAST, "m 5 100",
         "f 4", "f 5", "f 9"]
    for v in (1, 8, 9, 24, 25, 100, 127):
        s["mallopt-mxfast-%d" % v] = ["o %d %d" % (M_MXFAST, v)] + \
            fill(T, 24) + fill(U, v if v > 0 else 1) + \
            ["m 0 %d" % v, "m 1 24", "m 2 %d" % v, "m 3 24"] + \
            frees(T) + frees(U) + ["f 0", "f 2", "m 4 3000", "f 4",
                                   "f 1", "f 3"]
    # no mmap at all, then one mapping at a time.
    s["mallopt-mmapmax-0"] = ["o %d 0" % M_MMAP_MAX, "m 0 300000",
                              "m 1 200000", "f 0", "m 2 1000000", "f 1",
                              "f 2", "m 3 24"]
    s["mallopt-mmapmax-1"] = ["m 9 24", "o %d 1" % M_MMAP_MAX,
                              "m 0 300000", "m 1 300000", "f 0",
                              "m 2 300000", "f 1", "f 2", "f 9"]
    # set to its default: still no dynamic raise afterwards.
    s["mallopt-mmapmax-nodyn"] = ["m 9 24", "o %d 65536" % M_MMAP_MAX,
                                  "m 0 200000", "f 0", "m 1 200000",
                                  "f 1", "m 2 200000", "f 2", "f 9"]
    s["mallopt-mmapmax-mid"] = ["m 0 200000", "m 1 300000",
                                "o %d 1" % M_MMAP_MAX, "m 2 300000",
                                "f 0", "m 3 300000", "m 4 300000", "f 1",
                                "f 2", "f 3", "f 4"]
    # random mixes with settings changed on the way.
    for i in range(4):
        m = mix(6000 + i, 2000, EDGES)
        rng = random.Random(7000 + i)
        for k in range(8):
            pos = rng.randrange(len(m))
            if rng.random() < 0.6:
                m.insert(pos, "o %d %d" % (M_MXFAST, rng.choice(
                    [0, 1, 16, 24, 40, 64, 100, 128, 150, 160])))
            else:
                m.insert(pos, "o %d %d" % (M_MMAP_MAX, rng.choice(
                    [0, 1, 2, 4, 65536])))
        s["mallopt-mix-%d" % i] = m
    return s


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    seqs = {}
    for f in sorted(os.listdir(TRACES)):
        if f.endswith(".rep"):
            seqs["lab-" + f[:-8]] = lab(f)
    for i in range(8):
        seqs["mix-small-%d" % i] = mix(1000 + i, 3000, SMALL)
        seqs["mix-edges-%d" % i] = mix(2000 + i, 3000, EDGES)
        seqs["mix-large-%d" % i] = mix(3000 + i, 1500, LARGE, 60)
    for i in range(4):
        m = mix(4000 + i, 1500, EDGES)
        rng = random.Random(5000 + i)
        for k in range(6):
            pos = rng.randrange(len(m))
            inc = rng.choice([1, 8, 13, 16, 100, 4096, 8192, 12345])
            m.insert(pos, "s %d" % inc)
        seqs["sbrk-mix-%d" % i] = m
    seqs.update(scenarios())
    seqs.update(mallopt_seqs())
    for name, ops in seqs.items():
        with open(os.path.join(outdir, name + ".ops"), "w") as f:
            f.write("\n".join(ops) + "\n")
    if len(sys.argv) < 4:
        return
    rec, datadir = sys.argv[2], sys.argv[3]
    os.makedirs(datadir, exist_ok=True)
    total = 0
    for name in sorted(seqs):
        with open(os.path.join(outdir, name + ".ops"), "rb") as f:
            p = subprocess.run([rec], stdin=f, capture_output=True)
        out = p.stdout.decode()
        if p.returncode != 0:
            if not out.endswith("\n"):
                msg = p.stderr.decode().strip()
                if msg:
                    out += " abort=" + msg.split("\n")[-1] + "\n"
                else:
                    out += " signal=%d\n" % -p.returncode
        head = ("# %s: recorded from this machine's glibc by "
                "tests/glibc-data.py with glibc-record\n" % name)
        with open(os.path.join(datadir, name + ".txt"), "w") as f:
            f.write(head + out)
        total += len(seqs[name])
    print("%d files, %d ops" % (len(seqs), total))


if __name__ == "__main__":
    main()
