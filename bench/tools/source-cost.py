#!/usr/bin/env python3
"""What `_source` filtering costs Elasticsearch on query a (docs/benchmarks.md, "Profiling").

    python3 bench/tools/source-cost.py                     # 3 rounds of 500 requests per variant
    python3 bench/tools/source-cost.py --rounds 5 --requests 1000
    python3 bench/tools/source-cost.py --clients 16 --requests 6000   # Elasticsearch kept busy
    python3 bench/tools/source-cost.py --accept application/json,application/smile   # answer formats instead

Sends query a's raw body (bench/src/main/resources/queries/a.json, the body StayQuery builds) for
random demo cities, one request at a time over one keep-alive connection (or from --clients
threads), in three variants that differ only in `_source`: the fields a result card reads (the
includes list StayQuery sent until 29 November), the whole stored source (`true`, what it sends
now) and none (`false`). Variants take turns within each round, so they see the same background
load. Prints, per variant, the median latency, the rate and Elasticsearch's CPU per request (from
/proc, when its process is on this machine), each the median over the rounds, and the CPU ratio
to the first.
With --accept, the variants are answer formats instead (the whole source, `Accept` set to each).
Needs the demo or benchmark data behind the alias `stays` (bench/run.sh or infra/bin/demo.sh).
"""
import argparse
import csv
import http.client
import json
import os
import random
import statistics
import subprocess
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MONTHLY_MIN_USD_CENTS = [20_000, 30_000, 40_000, 50_000, 70_000, 100_000]  # as SearchWorkload
MONTHLY_WIDTH_USD_CENTS = [40_000, 60_000, 100_000, 150_000]
# What StayQuery asked for until 29 November: the fields a result card reads.
INCLUDES = {"includes": ["display", "free_windows", "nightly_price", "monthly_price", "currency"]}


def bodies(count, seed):
    with open(os.path.join(ROOT, "bench/src/main/resources/queries/a.json")) as f:
        template = f.read()
    with open(os.path.join(ROOT, "api/src/main/resources/demo/nomad-cities.csv")) as f:
        cities = [row["city"] for row in csv.DictReader(f)]
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        city = rnd.choice(cities)
        low = rnd.choice(MONTHLY_MIN_USD_CENTS)
        values = {"cityLower": json.dumps(city.lower()), "city": json.dumps(city), "minUsd": str(low),
                  "maxUsd": str(low + rnd.choice(MONTHLY_WIDTH_USD_CENTS)), "minMbps": "50.0"}
        text = template
        for name, value in values.items():
            text = text.replace("${" + name + "}", value)
        out.append(json.loads(text))
    return out


def encoded(bodies_, source):
    """The bodies with `source` as their `_source`, as bytes: encoded before the clock starts."""
    return [json.dumps(dict(b, _source=source)).encode() for b in bodies_]


def es_cpu_ticks():
    pids = subprocess.run(["pgrep", "-f", "org.elasticsearch.bootstrap.Elasticsearch"],
                          capture_output=True, text=True).stdout.split()
    if not pids:
        return None
    with open(f"/proc/{pids[0]}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def run(es, path, requests, clients, accept="application/json"):
    """Sends the requests (encoded bodies) from `clients` threads, each on its own keep-alive connection."""
    latencies = []
    sizes = []
    failures = []

    def client(share):
        conn = http.client.HTTPConnection(es.hostname, es.port or 9200)
        for data in share:
            start = time.perf_counter()
            conn.request("POST", path, data, {"Content-Type": "application/json", "Accept": accept})
            answer = conn.getresponse()
            payload = answer.read()
            latencies.append((time.perf_counter() - start) * 1000)
            sizes.append(len(payload))
            if answer.status != 200:
                failures.append(f"Elasticsearch answered {answer.status}: {payload[:300]!r}")
                return

    threads = [threading.Thread(target=client, args=(requests[i::clients],)) for i in range(clients)]
    before = es_cpu_ticks()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    after = es_cpu_ticks()
    if failures:
        raise SystemExit(failures[0])
    cpu = None if before is None else (after - before) * 1000 / os.sysconf("SC_CLK_TCK") / len(requests)
    return statistics.median(latencies), len(requests) / elapsed, cpu, statistics.mean(sizes)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", default=os.environ.get("NOMAD_ES_URL", "http://127.0.0.1:19200"))
    parser.add_argument("--alias", default="stays")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=1,
                        help="concurrent connections (Python's threads: enough to keep Elasticsearch busy, not a load generator)")
    parser.add_argument("--accept", help="comma-separated media types to compare (whole source), e.g. application/json,application/smile")
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.es)
    path = f"/{args.alias}/_search?typed_keys=true"
    base = bodies(args.requests, 20261129)
    if args.accept:
        variants = {accept: (True, accept) for accept in args.accept.split(",")}
    else:
        variants = {"includes (before 29 Nov.)": (INCLUDES, "application/json"),
                    "whole source (true)": (True, "application/json"), "no source (false)": (False, "application/json")}
    # Warm Elasticsearch's caches and JIT for each variant before anything is counted.
    for source, accept in variants.values():
        run(url, path, encoded(base[:100], source), args.clients, accept)
    results = {name: [] for name in variants}
    for round_no in range(args.rounds):
        for name, (source, accept) in variants.items():
            median, rate, cpu, size = run(url, path, encoded(base, source), args.clients, accept)
            results[name].append((median, rate, cpu))
            cpu_text = "n/a" if cpu is None else f"{cpu:.2f} ms"
            print(f"round {round_no + 1}  {name:26} median {median:.2f} ms  {rate:.0f} req/s  "
                  f"es cpu/request {cpu_text}  answers {size / 1000:.1f} kB")
    print()
    print(f"{args.clients} client(s), {args.requests} requests per variant and round, medians of {args.rounds} rounds:")
    print()
    print("| variant | median latency | requests/s | Elasticsearch CPU per request | CPU ratio |")
    print("| --- | --- | --- | --- | --- |")
    first_cpu = None
    for name, rows in results.items():
        median = statistics.median(r[0] for r in rows)
        rate = statistics.median(r[1] for r in rows)
        cpus = [r[2] for r in rows if r[2] is not None]
        cpu = statistics.median(cpus) if cpus else None
        if first_cpu is None:
            first_cpu = cpu
        cpu_text = "n/a" if cpu is None else f"{cpu:.2f} ms"
        cpu_ratio = "n/a" if cpu is None or not first_cpu else f"{cpu / first_cpu:.2f}"
        print(f"| {name} | {median:.2f} ms | {rate:.0f} | {cpu_text} | {cpu_ratio} |")


if __name__ == "__main__":
    main()
