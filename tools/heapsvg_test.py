#!/usr/bin/env python3
"""tools/heapsvg_test.py DEMO_ELF - tests of tools/heapsvg.

Synthetic dumps check the drawing rules (one rectangle per chunk, hover
titles, colours, address order, a common scale across steps, mmapped blocks
beside the strip); a real demo's output (run with --json) checks the tool on
what the allocator actually dumps. Ends with "heapsvg: N passed, M failed".
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "heapsvg")
NS = "{http://www.w3.org/2000/svg}"
passed = failed = 0


def check(ok, name, why=""):
    global passed, failed
    passed += bool(ok)
    failed += not ok
    print(f"ok {name}" if ok else f"FAIL {name}: {why}")


def run_tool(text):
    p = subprocess.run([sys.executable, TOOL, "-", "-o", "-"], input=text.encode(),
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def chunks_of(svg):
    root = ET.fromstring(svg)
    return root, [e for e in root.iter(NS + "rect") if e.get("class") == "chunk"]


def dump(label, brk, chunks):
    return "@heap " + json.dumps({"demo": "t", "label": label, "heap_start": "0x10000",
                                  "heap_end": hex(brk), "brk": hex(brk), "chunks": chunks})


def synthetic():
    cs = [{"addr": "0x10000", "size": 672, "state": "in-use", "bin": -1, "arena": 0},
          {"addr": "0x102a0", "size": 32, "state": "free", "bin": 2, "arena": 0},
          {"addr": "0x102c0", "size": 48, "state": "cached", "bin": 1, "arena": 0},
          {"addr": "0x102f0", "size": 0x1000 - 0x2f0 + 0x1000, "state": "top", "bin": -1, "arena": 0},
          {"addr": "0x7f0000000000", "size": 135168, "state": "mmapped", "bin": -1, "arena": 0}]
    small = dump("one", 0x12000, cs)
    big = dump("two", 0x14000, cs[:3] + [dict(cs[3], size=cs[3]["size"] + 0x2000)])
    text = "boot noise\r\n" + small + "\r\nnot json {\n" + big + "\n"
    rc, svg, err = run_tool(text)
    check(rc == 0, "synthetic-dumps-render", err)
    try:
        root, rects = chunks_of(svg)
    except ET.ParseError as e:
        check(False, "svg-is-well-formed-xml", str(e))
        return
    check(root.tag == NS + "svg", "svg-is-well-formed-xml")
    check(len(rects) == 5 + 4, "one-rect-per-chunk", f"{len(rects)} chunk rects for 9 chunks")
    titles = [r.find(NS + "title") for r in rects]
    check(all(t is not None and t.text for t in titles), "every-chunk-has-hover-title")
    check("0x102a0: 32 bytes, free, bin 2" in [t.text for t in titles], "title-names-size-state-bin",
          [t.text for t in titles][:3])
    fills = {r.find(NS + "title").text.split(", ")[1]: r.get("fill") for r in rects}
    check(len(set(fills.values())) == 5, "states-have-distinct-colours", fills)
    row1 = rects[:4]
    xs = [float(r.get("x")) for r in row1]
    check(xs == sorted(xs) and all(float(r.get("width")) >= 1.0 for r in row1),
          "chunks-in-address-order-all-visible", xs)
    mapped = rects[4]
    strip_end = max(float(r.get("x")) + float(r.get("width")) for r in row1)
    check(float(mapped.get("x")) >= strip_end, "mmapped-block-beside-strip")
    row2 = rects[5:]
    same = all(abs(float(a.get("width")) - float(b.get("width"))) < 0.01 for a, b in zip(row1[:3], row2[:3]))
    check(same, "same-scale-across-steps", "the same chunks differ in width between steps")
    tops = [r for r in rects if "top" in r.find(NS + "title").text]
    check(all(float(t.get("width")) <= 150.0 for t in tops) and str(cs[3]["size"]) in
          tops[0].find(NS + "title").text, "top-cut-title-keeps-size",
          [t.get("width") for t in tops])
    rc, _, err = run_tool("nothing here\n")
    check(rc == 1 and "no heap dump" in err, "no-dump-is-an-error", f"rc {rc}")


def real(demo):
    out = subprocess.run([demo, "--json"], capture_output=True, timeout=60).stdout.decode()
    dumps = [json.loads(l[6:]) for l in out.splitlines() if l.startswith("@heap ")]
    check(len(dumps) >= 2, "demo-prints-dumps", f"{len(dumps)} dumps")
    rc, svg, err = run_tool(out)
    check(rc == 0, "demo-dumps-render", err)
    _, rects = chunks_of(svg)
    want = sum(len(d["chunks"]) for d in dumps)
    check(len(rects) == want, "demo-one-rect-per-chunk", f"{len(rects)} rects, {want} chunks")
    states = {c["state"] for d in dumps for c in d["chunks"]}
    check({"in-use", "free", "top"} <= states, "demo-dump-has-states", states)


synthetic()
if len(sys.argv) > 1:
    real(sys.argv[1])
print(f"heapsvg: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
