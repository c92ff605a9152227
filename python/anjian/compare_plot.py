"""Small multiples of an ``anjian compare`` file: the main outcomes over time, one line per scenario.

Each panel is one outcome by month: the mean over replicates with a band of two standard errors
of that mean, for every scenario of the comparison (baseline first). Uses numpy, h5py and
matplotlib only (Agg backend), so that it runs headless and the Python API can reuse it::

    from anjian.compare_plot import plot_comparison
    fig = plot_comparison("results/compare_county_baseline.h5")

From the command line (``anjian compare --plot`` runs it this way)::

    python3 compare_plot.py COMPARE.h5 OUT.png
    python3 compare_plot.py --check      # exits 0 if numpy, h5py and matplotlib import
"""

import sys

# Panels: (title, unit, kind, metrics). kind "flow" sums a metric per month; "stock" averages it
# over the month; "share" is 100 x sum(first) / sum(second) per month.
PANELS = [
    ("True accidents", "accidents/month", "flow", ("accidents_true",)),
    ("Reported accidents", "accidents/month", "flow", ("accidents_reported",)),
    ("True deaths", "deaths/month", "flow", ("deaths_true",)),
    ("True injuries", "injuries/month", "flow", ("injuries_true",)),
    ("Latent hazards", "hazards", "stock", ("latent_hazards",)),
    ("Formal inspections", "% of inspections", "share", ("inspections_formal", "inspections")),
    ("Staff turnover", "inspectors/month", "flow", ("turnover",)),
    ("Unregistered enterprises", "enterprises", "stock", ("enterprises_unregistered",)),
]

DAYS_PER_MONTH = 365.0 / 12.0


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def scenario_names(h5):
    """Scenario names of a comparison file, baseline first."""
    return _text(h5["meta/scenarios"][()]).split("\n")


def _monthly(series, days, how):
    """Aggregates a [replicates x steps] array into [replicates x months] by calendar month."""
    import numpy as np

    month = ((days - 1) // DAYS_PER_MONTH).astype(int)
    month -= month[0]
    months = month[-1] + 1
    out = np.zeros((series.shape[0], months))
    counts = np.bincount(month, minlength=months)
    for r in range(series.shape[0]):
        out[r] = np.bincount(month, weights=series[r], minlength=months)
    if how == "mean":
        out /= counts
    return out, counts


def _panel_values(series_group, kind, metrics):
    import numpy as np

    days = series_group["day"][:]
    if kind == "share":
        top, counts = _monthly(series_group[metrics[0]][:], days, "sum")
        bottom, _ = _monthly(series_group[metrics[1]][:], days, "sum")
        with np.errstate(invalid="ignore", divide="ignore"):
            values = 100.0 * top / bottom
    else:
        values, counts = _monthly(series_group[metrics[0]][:], days, "mean" if kind == "stock" else "sum")
    full = counts >= 0.9 * counts.max()  # a partial last month would look like a drop
    return (np.flatnonzero(full) + 1) / 12.0, values[:, full]  # recorded years, from the end of the burn-in


def plot_comparison(path_or_h5, png_path=None):
    """Draws the comparison in `path_or_h5` (a file name or an open h5py.File) and returns the Figure.

    With `png_path`, also saves it there as PNG.
    """
    import h5py
    import matplotlib

    if png_path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    own = not isinstance(path_or_h5, h5py.File)
    h5 = h5py.File(path_or_h5, "r") if own else path_or_h5
    try:
        names = scenario_names(h5)
        meta = h5["meta"].attrs
        fig, axes = plt.subplots(2, 4, figsize=(16, 7.5), sharex=True, constrained_layout=True)
        for ax, (title, unit, kind, metrics) in zip(axes.flat, PANELS):
            for index, name in enumerate(names):
                years, values = _panel_values(h5["scenarios"][name]["series"], kind, metrics)
                mean = np.nanmean(values, axis=0)
                n = values.shape[0]
                se = np.nanstd(values, axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros_like(mean)
                colour = "black" if index == 0 else f"C{(index - 1) % 10}"
                ax.plot(years, mean, color=colour, lw=1.8 if index == 0 else 1.2, label=name)
                # Every panel counts or shares something, so a band below zero would show the impossible.
                ax.fill_between(years, np.maximum(mean - 2 * se, 0.0), mean + 2 * se, color=colour, alpha=0.15, lw=0)
            ax.set_title(title, fontsize=10)
            ax.set_ylabel(unit, fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
        for ax in axes[-1]:
            ax.set_xlabel("year (recorded, after the burn-in)", fontsize=9)
        axes.flat[0].legend(fontsize=7, loc="best")
        fig.suptitle(
            f"anjian compare: {len(names)} scenarios, {int(meta['replicates'])} replicate(s), seed "
            f"{int(meta['seed'])}; monthly mean over replicates, band = mean +- 2 standard errors",
            fontsize=10,
        )
        if png_path is not None:
            fig.savefig(png_path, dpi=110)
        return fig
    finally:
        if own:
            h5.close()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--check"]:
        import h5py  # noqa: F401
        import matplotlib
        import numpy  # noqa: F401

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401

        return 0
    if len(argv) != 2:
        print("usage: compare_plot.py COMPARE.h5 OUT.png  |  compare_plot.py --check", file=sys.stderr)
        return 2
    import matplotlib.pyplot as plt

    try:
        fig = plot_comparison(argv[0], argv[1])
    except (OSError, KeyError, ValueError) as error:
        # A missing, truncated or foreign file: one line for the user, no traceback, no PNG.
        print(f"compare_plot: error: cannot draw {argv[0]}: it is missing, damaged or not a comparison file "
              f"of `anjian compare` ({error})", file=sys.stderr)
        return 1
    plt.close(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
