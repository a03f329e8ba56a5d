"""The benchmark's chart: wall time against N for each approach, on log axes, a panel per latency.

Drawn with matplotlib (``requirements-bench.txt``) as SVG, which is text: a new run shows as a
diff. Only measured points are drawn (no estimated uri-loop rows).
"""

import matplotlib

matplotlib.use("Agg")  # no display: draw to a file only
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

MARKERS = "osD^v<>ph*"


def draw(path, by_latency, kinds, labels):
    """Write the chart to ``path`` (SVG, or PNG when it ends so) and return it. ``by_latency``:
    {ms: [Case]}."""
    panels = len(by_latency)
    figure, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 5.5), sharey=True, squeeze=False)
    for axis, (latency, cases) in zip(axes[0], by_latency.items()):
        for index, kind in enumerate(kinds):
            points = sorted((case.row.size, case.row.wall) for case in cases if case.kind == kind and case.row.walls)
            if not points:
                continue
            sizes, walls = zip(*points)
            axis.plot(sizes, walls, marker=MARKERS[index % len(MARKERS)], linewidth=1.2, markersize=4,
                      label=labels[kind])
        floor = sorted((case.row.size, case.row.floor.wall) for case in cases
                       if case.kind == "nowait" and case.row.floor)
        if floor:
            sizes, walls = zip(*floor)
            axis.plot(sizes, walls, linestyle=":", color="black", linewidth=1,
                      label="floor of terminate (no-op + one latency per request)")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title("%d ms per API request" % latency)
        axis.set_xlabel("jobs (N)")
        axis.grid(True, which="both", linewidth=0.3)
    axes[0][0].set_ylabel("wall time of ansible-playbook, s (median)")
    handles, names = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, names, loc="lower center", ncol=3, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0.16, 1, 1))
    if path.endswith(".png"):
        figure.savefig(path, format="png", dpi=110)
    else:
        # No date in the file: the same figures draw the same bytes.
        figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return path
