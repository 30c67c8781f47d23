"""Service-level measurements from the files monitoring systems export: CSV (``period,metric,value``),
JSON (a list of such objects, or ``{"measurements": [...]}``) and the OpenMetrics / Prometheus text
exposition format (``sla_availability_ratio{period="2026-10"} 0.994``). One measurement per period
and metric; a file that cannot be read whole is refused whole (``MetricsError`` says where)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from .amounts import parse_decimal

FORMATS = ("csv", "json", "openmetrics")
_PERIOD = re.compile(r"^(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])$|^(?P<qy>\d{4})-?Q(?P<q>[1-4])$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_STAMP = re.compile(r"^(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-01$")  # a month stamped with its first day
# a name for the complement of availability (downtime, errors): never read as the availability
_COMPLEMENT = re.compile(r"downtime|outage|error|fail|loss", re.IGNORECASE)


class MetricsError(ValueError):
    """A metrics file that cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class Measurement:
    period: str  # "2026-10" (a month) or "2026-Q3"
    metric: str  # "availability" (percent)
    value: Decimal
    source: str  # where in the file: "line 3"


def format_of(name: str, content: str) -> str:
    """The format a file is in, from its name, else from its first characters."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".prom", ".txt", ".om", ".metrics")):
        return "openmetrics"
    head = content.lstrip()[:1]
    return "json" if head in "[{" and head else "openmetrics" if head == "#" else "csv"


def parse_metrics(content: str, fmt: str) -> list[Measurement]:
    if fmt not in FORMATS:
        raise MetricsError(f"unknown metrics format {fmt!r}: one of {', '.join(FORMATS)}")
    rows = {"csv": _csv_rows, "json": _json_rows, "openmetrics": _openmetrics_rows}[fmt](content)
    out: dict[tuple[str, str], Measurement] = {}
    for period, metric, value, source in rows:
        m = Measurement(_period(period, source), _metric(metric, source), value, source)
        if m.metric == "availability":
            if value <= 1 and metric_is_ratio(metric):
                m = Measurement(m.period, m.metric, value * 100, source)
            elif value <= 1:
                # 0.994 is a ratio or a catastrophic month: the file must say which, never guessed
                raise MetricsError(f"{source}: availability {value} looks like a ratio; name the metric "
                                   f"*_ratio or give a percentage (99.4)")
            if not 0 <= m.value <= 100:
                raise MetricsError(f"{source}: availability {value} is not a percentage")
        key = (m.period, m.metric)
        if key in out and out[key].value != m.value:
            raise MetricsError(f"{source}: {m.metric} for {m.period} given twice with different values "
                               f"({out[key].value} at {out[key].source})")
        out[key] = m
    if not out:
        raise MetricsError("no measurements in the file")
    return sorted(out.values(), key=lambda m: (m.period, m.metric))


def metric_is_ratio(name: str) -> bool:
    return bool(re.search(r"ratio|fraction", name, re.IGNORECASE))


def _metric(name: str, source: str) -> str:
    if re.search(r"un-?availab", str(name), re.IGNORECASE) or (
            _COMPLEMENT.search(str(name)) and not re.search(r"availab|uptime", str(name), re.IGNORECASE)):
        raise MetricsError(f"{source}: {name!r} measures what was not available; give the availability itself "
                           f"(100 minus it) so that it is never read the wrong way round")
    if re.search(r"availab|uptime", str(name), re.IGNORECASE):
        return "availability"
    raise MetricsError(f"{source}: unknown metric {name!r} (clausewatch checks availability/uptime)")


def _period(text: object, source: str) -> str:
    stamp = _MONTH_STAMP.match(str(text).strip())
    if stamp:  # "2026-10-01", as many exports stamp a month
        return f"{stamp.group('y')}-{stamp.group('m')}"
    m = _PERIOD.match(str(text).strip())
    if not m and _DAY.match(str(text).strip()):
        # one day's measurement is not the month's availability, and a day is never taken as its month
        raise MetricsError(f"{source}: period {text!r} is a day; give the month's availability (YYYY-MM) or the "
                           f"quarter's (YYYY-Qn)")
    if not m:
        raise MetricsError(f"{source}: period {text!r} is not a month (YYYY-MM) or quarter (YYYY-Qn)")
    return f"{m.group('y')}-{m.group('m')}" if m.group("y") else f"{m.group('qy')}-Q{m.group('q')}"


def _number(value: object, source: str) -> Decimal:
    try:
        return parse_decimal(value)  # type: ignore[arg-type]
    except (ValueError, ArithmeticError) as exc:
        raise MetricsError(f"{source}: {exc}") from None


def _csv_rows(content: str):
    reader = csv.DictReader(io.StringIO(content))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if not {"period", "metric", "value"} <= set(fields):
        raise MetricsError(f"line 1: the CSV header must name period, metric and value (it names {fields})")
    for n, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        source = f"line {n}"
        yield row["period"], row["metric"], _number(row["value"], source), source


def _json_rows(content: str):
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise MetricsError(f"line {exc.lineno}: not JSON ({exc.msg})") from None
    items = data.get("measurements") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise MetricsError('JSON must be a list of {"period", "metric", "value"} or {"measurements": [...]}')
    for n, item in enumerate(items, start=1):
        source = f"item {n}"
        if not isinstance(item, dict) or not {"period", "metric", "value"} <= set(item):
            raise MetricsError(f'{source}: needs "period", "metric" and "value"')
        yield item["period"], item["metric"], _number(item["value"], source), source


def _openmetrics_rows(content: str):
    from prometheus_client.parser import text_string_to_metric_families

    try:
        families = list(text_string_to_metric_families(content))
    except (ValueError, TypeError) as exc:
        raise MetricsError(f"not OpenMetrics/Prometheus text: {exc}") from None
    for family in families:
        for n, sample in enumerate(family.samples, start=1):
            source = f"{sample.name} sample {n}"
            # a timestamp is seconds in OpenMetrics and milliseconds in Prometheus' format: the
            # month is never inferred from one, it must be named
            period = sample.labels.get("period")
            if period is None:
                raise MetricsError(f'{source}: needs a period label (period="2026-10")')
            yield period, sample.name, _number(sample.value, source), source
