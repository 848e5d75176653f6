"""Small server-rendered SVG charts (no JavaScript, no CDN), each with a text alternative."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0a4a9e", "#e07b00", "#2e7d32", "#8e24aa")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def grouped_bars(
    labels: list[str], series: list[Series], *, title: str, width: int = 640, height: int = 260
) -> Markup:
    """A grouped bar chart as inline SVG with a <title>, axis, legend and value labels."""
    pad_left, pad_bottom, pad_top = 48, 44, 28
    plot_w, plot_h = width - pad_left - 12, height - pad_bottom - pad_top
    top = _nice_max(max([v for s in series for v in s.values] or [0]))
    n_groups = max(len(labels), 1)
    group_w = plot_w / n_groups
    bar_w = max(4.0, (group_w * 0.7) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):  # grid and axis labels
        value = top * i / 4
        y = pad_top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{pad_left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d4d9"/>'
        )
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            'fill="#333">'
            f"{value:,.0f}</text>"
        )
    for g, label in enumerate(labels):
        x0 = pad_left + g * group_w + (group_w - bar_w * len(series)) / 2
        for s_index, s in enumerate(series):
            value = s.values[g] if g < len(s.values) else 0
            h = plot_h * value / top if top else 0
            x = x0 + s_index * bar_w
            y = pad_top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"><title>{escape(s.name)} '
                f"{escape(label)}: "
                f"{value:,}</title></rect>"
            )
            parts.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                'font-size="11" '
                f'fill="#222">{value:,}</text>'
            )
        parts.append(
            f'<text x="{pad_left + g * group_w + group_w / 2:.1f}" y="{height - pad_bottom + 18}" '
            f'text-anchor="middle" font-size="13" fill="#222">{escape(label)}</text>'
        )
    for s_index, s in enumerate(series):  # legend
        x = pad_left + s_index * 150
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[s_index % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{x + 18}" y="16" font-size="13" fill="#222">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(rows: list[tuple[str, int]], *, title: str, width: int = 640) -> Markup:
    """A horizontal bar chart (one bar per row) as inline SVG."""
    row_h, label_w = 26, 220
    height = row_h * max(len(rows), 1) + 8
    top = _nice_max(max([v for _, v in rows] or [0]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        w = (width - label_w - 60) * value / top if top else 0
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#222">'
            f"{escape(short)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value:,}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12" '
            f'fill="#222">{value:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
