# bench/py-alloc.py - an allocation-heavy Python workload for bench/run,
# run as `PYTHONMALLOC=malloc python3 bench/py-alloc.py SCALE` so that every
# object comes from the malloc under test (not from pymalloc's arenas).
# Records as dicts, JSON round trips, string building, sorting and a
# dict-of-lists index; prints a checksum that does not depend on hash order.
import json
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
n = int(scale * 100000)


def records(count):
    return [{"id": i, "name": "item-%07d" % i, "tags": [str(i % 7), str(i % 11)],
             "value": (i * 2654435761) % 1000003} for i in range(count)]


def checksum(text, acc):
    # FNV-1a over the text, folded into acc: cheap and order-sensitive.
    h = acc
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


acc = 0xcbf29ce484222325
for round_ in range(3):
    recs = records(n)
    index = {}
    for r in recs:
        index.setdefault(r["value"] % 997, []).append(r["name"])
    recs.sort(key=lambda r: (r["value"], r["id"]))
    text = json.dumps(recs[: n // 2])
    back = json.loads(text)
    words = [r["name"].upper() + "/" + "-".join(r["tags"]) for r in back]
    joined = " ".join(sorted(words, reverse=True))
    acc = checksum(joined[:4096], acc)
    acc = checksum("%d %d %d" % (len(text), len(index), sum(len(v) for v in index.values())), acc)
    del recs, index, text, back, words, joined

print("checksum: %016x" % acc)
