"""Sum up the fault test of scripts/loadtest.sh (PostgreSQL restarted under load).

    python scripts/fault_summary.py RESTART_START RESTART_END HEALTH_LOG WRK_OUTPUT

HEALTH_LOG has one line per poll of /health/: "<epoch seconds> <HTTP status>".
WRK_OUTPUT is what scripts/wrk/pages.lua printed ("kotaku …" lines).
Prints how long the restart took, when /health/ failed and answered again (the recovery
time, counted from the moment PostgreSQL was back), and how many requests failed: in
all, and after the restart was over (the target is none).
"""

import re
import sys

GRACE_SECONDS = 1.0  # requests already inside a worker when PostgreSQL came back


def wrk_figures(text: str) -> dict[str, float]:
    lines = "\n".join(re.findall(r"^kotaku.*$", text, re.M))
    return {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", lines)}


def main(restart_start, restart_end, health_log, wrk_output):
    restart_start, restart_end = float(restart_start), float(restart_end)
    polls = []
    with open(health_log, encoding="utf-8") as handle:
        for line in handle:
            when, status = line.split()
            polls.append((float(when), status))
    failed = [when for when, status in polls if status != "200"]
    # Back: the first poll after which /health/ answered 200 every time.
    back = None
    for when, status in reversed(polls):
        if status != "200":
            break
        back = when
    with open(wrk_output, encoding="utf-8") as handle:
        figures = wrk_figures(handle.read())
    last_5xx = figures.get("last_5xx", 0)
    print(f"restart of PostgreSQL: {restart_end - restart_start:.2f} s")
    if failed:
        print(
            f"/health/ failed {len(failed)} of {len(polls)} polls, from "
            f"{min(failed) - restart_start:+.2f} s to {max(failed) - restart_start:+.2f} s "
            "after the restart began"
        )
    else:
        print(f"/health/ never failed ({len(polls)} polls)")
    if back is not None:
        print(f"recovered: /health/ 200 for good {back - restart_end:+.2f} s after PostgreSQL")
    print(
        f"requests {figures.get('requests', 0):.0f}, "
        f"server errors (5xx) {figures.get('5xx', 0):.0f}, "
        f"socket errors connect {figures.get('connect', 0):.0f} read {figures.get('read', 0):.0f} "
        f"timeout {figures.get('timeout', 0):.0f}"
    )
    if last_5xx:
        late = last_5xx - restart_end
        print(
            f"last server error {late:+.2f} s after PostgreSQL was back: "
            + ("none after the restart" if late <= GRACE_SECONDS else "FAILURES AFTER THE RESTART")
        )
    else:
        print("no server error at all")


if __name__ == "__main__":
    main(*sys.argv[1:5])
