"""bench/runner/report.py - turns the runs into tables: per workload the
median time (wall, or cpu with --clock cpu) and peak RSS of each allocator as ratios against glibc
and against the best peer (the best of glibc, jemalloc, tcmalloc and
mimalloc, so tide is compared with the best of the others), the spread of
the times, the workload's own metrics; then geometric means, and tide
against the bars of issue 2 and the targets of issue 5.
"""
import math
import statistics

from allocators import PEERS


# Which clock the time ratios use: "wall" (default) or "cpu" (user + system
# time, steadier on a busy machine for the single-threaded workloads).
CLOCK = "wall"
# Width of the allocator column (variants such as tide+TIDE_PROFILE=classic
# are longer than the plain names).
NAME_WIDTH = 9


def col(name):
    return name.ljust(NAME_WIDTH)


def med(values):
    return statistics.median(values) if values else float("nan")


class Cell:
    """The runs of one allocator on one workload."""

    def __init__(self):
        self.runs = []
        self.error = ""

    @property
    def ok(self):
        return not self.error and bool(self.runs)

    @property
    def time(self):
        """The median time on the clock the ratios use."""
        return med([getattr(r, CLOCK) for r in self.runs])

    @property
    def wall(self):
        return med([r.wall for r in self.runs])

    @property
    def cpu(self):
        return med([r.cpu for r in self.runs])

    @property
    def rss_mib(self):
        return med([r.maxrss_kib for r in self.runs]) / 1024.0

    @property
    def spread(self):
        times = [getattr(r, CLOCK) for r in self.runs]
        return (max(times) - min(times)) / self.time if len(times) > 1 and self.time > 0 else 0.0

    def metric(self, name):
        return med([r.metrics[name] for r in self.runs if name in r.metrics])


def best_peer(cells, key):
    """(name, value) of the peer with the lowest key among those that ran."""
    vals = [(key(c), n) for n, c in cells.items() if n in PEERS and c.ok]
    if not vals:
        return None, float("nan")
    v, n = min(vals)
    return n, v


def ratio(a, b):
    return a / b if b and b > 0 and not math.isnan(a) else float("nan")


def workload_table(w, cells, runs):
    """Returns the lines of one workload's table."""
    lines = ["", "== %s: %s (scale %g, median of %d runs, ratios of %s times)" % (
        w.name, w.about, runs[0], runs[1], CLOCK)]
    glibc = cells.get("glibc")
    g_t = glibc.time if glibc and glibc.ok else float("nan")
    g_r = glibc.rss_mib if glibc and glibc.ok else float("nan")
    bt_name, bt = best_peer(cells, lambda c: c.time)
    br_name, br = best_peer(cells, lambda c: c.rss_mib)
    lines.append("  %s %9s %9s %7s %7s %7s %11s %7s %7s" % (
        col("allocator"), "wall", "cpu", "xglibc", "xbest", "spread", "peak RSS", "xglibc", "xbest"))
    for name, c in cells.items():
        if not c.ok:
            lines.append("  %s FAILED: %s" % (col(name), c.error))
            continue
        lines.append("  %s %7.3f s %7.3f s %7.2f %7.2f %6.0f%% %7.1f MiB %7.2f %7.2f" % (
            col(name), c.wall, c.cpu, ratio(c.time, g_t), ratio(c.time, bt), 100 * c.spread,
            c.rss_mib, ratio(c.rss_mib, g_r), ratio(c.rss_mib, br)))
    lines.append("  best peer: time %s, peak RSS %s" % (bt_name, br_name))
    if w.metrics:
        lines += metrics_table(w, cells)
    return lines


def metrics_table(w, cells):
    head = "  " + col("") + "".join(" %11s" % title for _, title in w.metrics)
    lines = ["  workload's own figures (medians):", head]
    for name, c in cells.items():
        if c.ok:
            lines.append("  " + col(name) + "".join(" %11.4g" % c.metric(m) for m, _ in w.metrics))
    return lines


def geomean(values):
    values = [v for v in values if v > 0 and not math.isnan(v)]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def summary(table, alloc_names):
    """table: {workload name: {allocator: Cell}}. Geometric means."""
    lines = ["", "== summary: geometric means over the workloads (%s time; lower is better)" % CLOCK,
             "  %s %12s %12s %12s %12s %10s" % (
                 col("allocator"), "time xglibc", "time xbest", "RSS xglibc", "RSS xbest", "workloads")]
    for name in alloc_names:
        t_g, t_b, r_g, r_b = [], [], [], []
        for cells in table.values():
            c, g = cells.get(name), cells.get("glibc")
            if not (c and c.ok and g and g.ok):
                continue
            t_g.append(ratio(c.time, g.time))
            r_g.append(ratio(c.rss_mib, g.rss_mib))
            t_b.append(ratio(c.time, best_peer(cells, lambda x: x.time)[1]))
            r_b.append(ratio(c.rss_mib, best_peer(cells, lambda x: x.rss_mib)[1]))
        lines.append("  %s %12.3f %12.3f %12.3f %12.3f %10d" % (
            col(name), geomean(t_g), geomean(t_b), geomean(r_g), geomean(r_b), len(t_g)))
    return lines
