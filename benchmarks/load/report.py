#!/usr/bin/env python3
"""Turns the rounds recorded by benchmarks/run.sh into <out>.json, <out>.md and <out>.svg.

Usage: report.py RAW.jsonl OUT_PREFIX --meta key=value ...
Standard library only. Every figure is the median over the rounds of one scenario; ratios are
against "bare" of the same scenario in the same run.
"""
import json
import math
import statistics
import sys
from html import escape

VARIANTS = ["bare", "official", "ours"]
LABELS = {"bare": "no Sentry", "official": "sentry-spring-boot-4 (official)", "ours": "sentry-boot"}
COLORS = {"bare": "#9aa5b1", "official": "#7b61ff", "ours": "#e8590c"}
SCENARIOS = {
    "errors": "errors only (tracing off)",
    "traces0": "tracing, 0% sampled",
    "traces10": "tracing, 10% sampled",
    "traces100": "tracing, 100% sampled",
}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(rounds, startups, warmups, clk_tck):
    summary = []
    scenarios = [s for s in SCENARIOS if any(r["scenario"] == s for r in rounds)]
    variants = [v for v in VARIANTS if any(r["variant"] == v for r in rounds)]
    for s in scenarios:
        rows = {}
        for v in variants:
            rs = [r for r in rounds if r["scenario"] == s and r["variant"] == v]
            if not rs:
                continue
            per_round = []
            for r in rs:
                w = r["wrk"]
                seconds = w["duration_us"] / 1e6
                per_round.append({
                    "rps": w["requests"] / seconds,
                    "p50_ms": w["latency_p50_us"] / 1000,
                    "p99_ms": w["latency_p99_us"] / 1000,
                    "cpu_us_per_request": r["cpu_ticks"] / clk_tck * 1e6 / max(w["requests"], 1),
                    # The same without the JIT compiler threads: what serving costs once compiled.
                    "cpu_us_per_request_excl_jit": (r["cpu_ticks"] - r.get("compiler_ticks", 0))
                    / clk_tck * 1e6 / max(w["requests"], 1),
                    "rss_mb": r["rss_kb"] / 1024,
                    "error_pct": 100 * w["non2xx"] / max(w["requests"], 1),
                    "socket_errors": w["connect_errors"] + w["read_errors"] + w["write_errors"] + w["timeouts"],
                    "envelopes_per_s": r["envelopes"] / seconds,
                    "sink_cpu_s": r["sink_cpu_ticks"] / clk_tck,
                })
            st = [x for x in startups if x["scenario"] == s and x["variant"] == v]
            row = {key: median(p[key] for p in per_round) for key in per_round[0]}
            row["sink_cpu_s"] = sum(p["sink_cpu_s"] for p in per_round)
            row["rounds"] = len(per_round)
            # How busy the JIT still was while the rounds ran: its threads' share of the
            # application's CPU over all rounds, and the methods it compiled meanwhile.
            cpu = sum(r["cpu_ticks"] for r in rs)
            row["jit_pct"] = 100 * sum(r.get("compiler_ticks", 0) for r in rs) / cpu if cpu else None
            row["jit_pct_max_round"] = max(100 * r.get("compiler_ticks", 0) / r["cpu_ticks"] if r["cpu_ticks"] else 0
                                           for r in rs)
            row["compiles_in_rounds"] = sum(r.get("compiles", 0) for r in rs)
            row["compile_s_in_rounds"] = sum(r.get("compile_s", 0) for r in rs)
            row["first_response_s"] = median(x["first_response_ms"] / 1000 for x in st)
            row["started_s"] = median(x["started_s"] for x in st)
            wu = [x for x in warmups if x["scenario"] == s and x["variant"] == v]
            row["warmup_s"] = median(x["seconds"] for x in wu)
            row["warmup_last_compiler_pct"] = max((x["last_step_compiler_pct"] for x in wu), default=None)
            row["warmup_limit_s"] = median(x.get("limit_s") for x in wu)
            row["compiles_before_rounds"] = median(x.get("compiles_total") for x in wu)
            rows[v] = row
        base = rows.get("bare")
        for v, row in rows.items():
            ratios = {}
            if base:
                for key in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request", "cpu_us_per_request_excl_jit", "rss_mb",
                            "first_response_s"):
                    if row.get(key) is not None and base.get(key):
                        ratios[key] = row[key] / base[key]
            summary.append({"scenario": s, "variant": v, **row, "vs_bare": ratios})
    return summary


def nice_ceiling(value):
    """The smallest round number at or above value whose quarters are round too (axis ticks)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10) if m * power >= value)


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def with_ratio(row, key, digits=0):
    text = fmt(row.get(key), digits)
    ratio = row["vs_bare"].get(key)
    if row["variant"] != "bare" and ratio is not None:
        text += f" ({ratio:.2f}×)"
    return text


def markdown(summary, meta, loads):
    quick = meta.get("quick") == "1"
    clk = int(meta["clk_tck"])
    lines = []
    title = "Load benchmark " + meta["stamp"]
    if quick:
        title += " — SMOKE RUN (QUICK=1): too short to quote, validates the harness only"
    lines.append("### " + title)
    lines.append("")
    lines.append(
        f"{meta['cpus']} CPUs ({meta['cpu_model']}), {meta['java']}, kernel {meta['kernel']}, commit {meta['commit']}. "
        f"Applications pinned to CPU {meta['app_cpu']}, wrk and the sink to CPU {meta['load_cpu']} (taskset); "
        f"`{meta['java_opts']}`. {meta['rounds']} alternating round(s) of {meta['duration_s']} s per variant and "
        f"scenario after {meta['warmup_s']} s of warm-up (until the JIT compiler threads used under "
        f"{meta.get('settled_pct', 3)} % of the application's CPU in a {meta.get('warmup_step_s', 5)} s step), "
        f"{meta['connections']} connections, medians. "
        f"Load average during the rounds: {min(loads):.2f} to {max(loads):.2f}"
        + (" (other work on the machine: noisy)." if max(loads) > 1.2 else ".")
        + (f" The run took {int(meta['run_s']) // 60} min {int(meta['run_s']) % 60} s." if "run_s" in meta else "")
    )
    lines.append("")
    lines.append("| scenario | variant | req/s | p50 ms | p99 ms | CPU µs/req | CPU µs/req excl. JIT | RSS MB | 5xx % | "
                 "envelopes/s | first response s | Started in s | warm-up s | JIT % in rounds | compiled in rounds |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    last = None
    for row in summary:
        scenario = SCENARIOS[row["scenario"]] if row["scenario"] != last else ""
        last = row["scenario"]
        lines.append(
            f"| {scenario} | {row['variant']} | {with_ratio(row, 'rps')} | {with_ratio(row, 'p50_ms', 2)} | "
            f"{with_ratio(row, 'p99_ms', 1)} | {with_ratio(row, 'cpu_us_per_request')} | "
            f"{with_ratio(row, 'cpu_us_per_request_excl_jit')} | {with_ratio(row, 'rss_mb')} | "
            f"{fmt(row['error_pct'], 2)} | {fmt(row['envelopes_per_s'], 1)} | {with_ratio(row, 'first_response_s', 2)} | "
            f"{fmt(row['started_s'], 2)} | {fmt(row['warmup_s'])} | {fmt(row['jit_pct'], 1)} | "
            f"{fmt(row['compiles_in_rounds'])} |")
    lines.append("")
    sink_total = int(meta["sink_cpu_ticks_total"]) / clk
    sink_rounds = sum(r["sink_cpu_s"] for r in summary)
    envelopes = sum(r["envelopes_per_s"] * float(meta["duration_s"]) * r["rounds"] for r in summary)
    lines.append(
        f"Sink (one nginx process on the load CPU): {sink_total:.2f} CPU s over the whole run, warm-ups included; "
        f"{sink_rounds:.2f} s in the measured rounds"
        + (f" for {envelopes:,.0f} envelopes ({sink_rounds / envelopes * 1e6:.0f} µs each, at 10 ms resolution)"
           if envelopes else "")
        + ". Ratios are against `bare` of the same scenario and run; CPU per request is the application "
          "process's utime+stime over the round (`/proc/<pid>/stat`) divided by wrk's request count, and "
          "\"excl. JIT\" the same without its JIT compiler threads (`C1/C2 CompilerThread`); RSS at the "
          "end of the round; 5xx % checks the failing endpoint (expected 0.50); envelopes/s is what the sink "
          "received. Startup: one start per scenario, JVM launch to the first 200, and Spring Boot's "
          "\"Started ... in\". Warm-up: seconds of load until the JIT compiler threads used under "
          f"{meta.get('settled_pct', 3)} % of the application's CPU in a step (during the warm-up only, the "
          "application may use every CPU and its compiler threads run at nice "
          f"{meta.get('jit_nice', 0)}, so that they catch up sooner, and the three applications of a scenario "
          "warm up at the same time; the rounds run as started: one CPU, nice 0). "
          "JIT % in rounds: the compiler threads' share of the application's CPU over all its measured rounds "
          "(near 0 when the JIT had settled), and the methods the JIT compiled during them (the JVM's "
          "`sun.ci.totalCompiles`).")
    problems = []
    settled = float(meta.get("settled_pct", 3))
    unsettled = [f"{r['scenario']}/{r['variant']} {r['warmup_last_compiler_pct']}%" for r in summary
                 if (r.get("warmup_last_compiler_pct") or 0) >= settled]
    if unsettled:
        problems.append("the JIT had not settled at the end of the warm-up (share of the CPU in the last step: "
                        + ", ".join(unsettled) + "; raise WARMUP_MAX or BUDGET)")
    busy = [f"{r['scenario']}/{r['variant']} {r['jit_pct']:.1f}%" for r in summary if (r.get("jit_pct") or 0) >= settled]
    if busy:
        problems.append(f"the JIT compiler threads used {settled:g} % or more of the CPU during the measured rounds ("
                        + ", ".join(busy) + "): a JVM keeps compiling a little for minutes, so compare with bare's "
                        "share; what is above it is warm-up left in that variant's figures, and CPU µs/req excl. JIT "
                        "leaves the compiler threads out")
    for row in summary:
        if row["variant"] == "bare" and row["envelopes_per_s"] > 0.5:
            problems.append(f"{row['scenario']}/bare sent envelopes (late envelopes of the previous variant?)")
        if row["variant"] != "bare" and row["envelopes_per_s"] == 0:
            problems.append(f"{row['scenario']}/{row['variant']} sent no envelope: is Sentry on?")
        if row["socket_errors"]:
            problems.append(f"{row['scenario']}/{row['variant']}: {row['socket_errors']:.0f} socket errors (median)")
    if problems:
        lines.append("")
        lines.append("Check: " + "; ".join(problems) + ".")
    return "\n".join(lines) + "\n"


def svg(summary, meta):
    """Three panels (throughput, CPU per request, p99 latency), bars grouped by scenario."""
    panels = [("rps", "Throughput (requests/s, higher is better)", 0),
              ("cpu_us_per_request", "CPU per request (µs, lower is better)", 0),
              ("p99_ms", "p99 latency (ms, lower is better)", 1)]
    scenarios = list(dict.fromkeys(r["scenario"] for r in summary))
    variants = [v for v in VARIANTS if any(r["variant"] == v for r in summary)]
    by = {(r["scenario"], r["variant"]): r for r in summary}
    width, panel_h, top, left = 980, 250, 92, 70
    height = top + len(panels) * (panel_h + 50) + 10
    plot_w = width - left - 20
    group_w = plot_w / max(len(scenarios), 1)
    bar_w = min(56, (group_w - 40) / max(len(variants), 1))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    title = f"sentry-boot load benchmark {meta['stamp']}"
    if meta.get("quick") == "1":
        title += " — SMOKE RUN (QUICK=1), not representative"
    out.append(f'<text x="{left}" y="24" font-size="16" font-weight="bold">{escape(title)}</text>')
    out.append(f'<text x="{left}" y="44" fill="#555">{escape(meta["cpus"])} CPUs, apps on CPU {meta["app_cpu"]}, '
               f'wrk + sink on CPU {meta["load_cpu"]}; {meta["rounds"]}×{meta["duration_s"]} s rounds, medians; '
               f'ratios against no Sentry, same run</text>')
    out.append(f'<text x="{left}" y="90" fill="#555" font-size="11">JIT compiler threads in the measured rounds: '
               f'{fmt(max((r["jit_pct"] or 0) for r in summary), 1)}% of an application\'s CPU at most</text>')
    x = left
    for v in variants:
        out.append(f'<rect x="{x}" y="58" width="14" height="14" fill="{COLORS[v]}"/>')
        out.append(f'<text x="{x + 20}" y="70">{escape(LABELS[v])}</text>')
        x += 40 + 7.5 * len(LABELS[v])
    for i, (key, label, digits) in enumerate(panels):
        y0 = top + i * (panel_h + 50) + 20
        values = [by[(s, v)][key] for s in scenarios for v in variants if (s, v) in by and by[(s, v)][key] is not None]
        vmax = nice_ceiling(max(values) * 1.15) if values else 1
        out.append(f'<text x="{left}" y="{y0 - 6}" font-weight="bold">{escape(label)}</text>')
        base_y = y0 + panel_h - 30
        for g in range(5):
            gy = base_y - (panel_h - 40) * g / 4
            out.append(f'<line x1="{left}" x2="{width - 20}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="#e5e5e5"/>')
            out.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="#777">'
                       f'{fmt(vmax * g / 4, 0 if vmax >= 40 else 1)}</text>')
        for si, s in enumerate(scenarios):
            gx = left + si * group_w + (group_w - bar_w * len(variants)) / 2
            for vi, v in enumerate(variants):
                row = by.get((s, v))
                if not row or row[key] is None:
                    continue
                h = (panel_h - 40) * row[key] / vmax
                bx = gx + vi * bar_w
                out.append(f'<rect x="{bx + 2:.1f}" y="{base_y - h:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
                           f'fill="{COLORS[v]}"><title>{escape(LABELS[v])}, {escape(SCENARIOS[s])}: '
                           f'{fmt(row[key], digits)}</title></rect>')
                out.append(f'<text x="{bx + bar_w / 2:.1f}" y="{base_y - h - 16:.1f}" text-anchor="middle">'
                           f'{fmt(row[key], digits)}</text>')
                ratio = row["vs_bare"].get(key)
                if v != "bare" and ratio is not None:
                    out.append(f'<text x="{bx + bar_w / 2:.1f}" y="{base_y - h - 4:.1f}" text-anchor="middle" '
                               f'fill="#555" font-size="10">{ratio:.2f}×</text>')
            out.append(f'<text x="{left + si * group_w + group_w / 2:.1f}" y="{base_y + 16:.1f}" '
                       f'text-anchor="middle">{escape(SCENARIOS[s])}</text>')
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{base_y}" y2="{base_y}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    raw, prefix = argv[1], argv[2]
    meta = {}
    if "--meta" in argv:
        for item in argv[argv.index("--meta") + 1:]:
            key, _, value = item.partition("=")
            meta[key] = value
    records = [json.loads(line) for line in open(raw, encoding="utf-8") if line.strip()]
    rounds = [r for r in records if r["type"] == "round"]
    startups = [r for r in records if r["type"] == "startup"]
    warmups = [r for r in records if r["type"] == "warmup"]
    warmup_steps = [r for r in records if r["type"] == "warmup_step"]
    if not rounds:
        sys.exit("no rounds recorded")
    summary = summarize(rounds, startups, warmups, int(meta["clk_tck"]))
    loads = [r[k] for r in rounds for k in ("loadavg_before", "loadavg_after")]
    result = {
        "benchmark": "load",
        "meta": meta,
        "summary": summary,
        "rounds": rounds,
        "startups": startups,
        "warmups": warmups,
        "warmup_steps": warmup_steps,
    }
    with open(prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    with open(prefix + ".md", "w", encoding="utf-8") as f:
        f.write(markdown(summary, meta, loads))
    with open(prefix + ".svg", "w", encoding="utf-8") as f:
        f.write(svg(summary, meta))


if __name__ == "__main__":
    main(sys.argv)
