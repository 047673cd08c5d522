"""The execution chart of a year: cumulative executed by month against the amount in force, as the
coordinates of a server-drawn SVG (the markup is templates/action_plans/includes/chart.svg.html)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 220, 70, 30, 15


@dataclass
class Chart:
    width: int
    height: int
    bars: list  # (x, y, w, h, month, amount)
    line: str  # the polyline of the cumulative executed
    limit_y: float  # the amount in force
    limit: Decimal
    axis_y: float
    labels: list  # (x, month number)
    ticks: list  # (y, amount)


def execution_chart(months: list[Decimal], limit: Decimal) -> Chart:
    """Bars per month, a line of the cumulative total, and the amount in force as a horizontal rule."""
    cumulative, running = [], Decimal("0")
    for amount in months:
        running += amount
        cumulative.append(running)
    top = max([limit, running, Decimal("1")])
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    step = plot_w / 12

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_h - float(value / top) * plot_h, 1)

    bars, points = [], []
    for index, amount in enumerate(months):
        x = LEFT + index * step
        y = y_of(amount)
        bars.append((round(x + step * 0.2, 1), y, round(step * 0.6, 1), round(TOP + plot_h - y, 1), index + 1, amount))
        points.append(f"{round(x + step / 2, 1)},{y_of(cumulative[index])}")
    ticks = [(y_of(top * part / 4), (top * part / 4).quantize(Decimal("1"))) for part in range(5)]
    return Chart(WIDTH, HEIGHT, bars, " ".join(points), y_of(limit), limit, TOP + plot_h,
                 [(round(LEFT + i * step + step / 2, 1), i + 1) for i in range(12)], ticks)
