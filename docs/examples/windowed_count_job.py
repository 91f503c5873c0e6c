#!/usr/bin/env python3
"""A windowed-count stream job, and its test against ClickstreamApi's truth.

The job: read the click topic, keep one run's events, and count them by page in tumbling
event-time windows (the Flink "click count" shape). The test: fetch the run's truth as NDJSON and
compare every window the job closed, page by page.

An at-least-once job counts the generator's injected duplicates again, so it should equal
truth + injected duplicates; with --dedupe (drop repeated eventIds, as an exactly-once job would)
it should equal the truth. Exit status 0 when every window matches, 1 otherwise.

    python3 docs/examples/windowed_count_job.py --bootstrap 127.0.0.1:PORT \
        --api http://127.0.0.1:8080 --run RUN_ID [--dedupe] [--window 15]

Needs confluent-kafka (apt-get install python3-confluent-kafka, or pip install confluent-kafka).
Reads JSON events only (Output:Format json); malformed messages are skipped, as a job must.
"""

import argparse
import collections
import datetime
import json
import sys
import urllib.request

from confluent_kafka import Consumer, TopicPartition


def parse_time(text):
    # 2026-11-02T10:00:00.1234567Z: Python takes at most microseconds; the window only needs seconds.
    text = text.rstrip("Z")
    if "." in text:
        whole, fraction = text.split(".", 1)
        text = whole + "." + (fraction + "000000")[:6]
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)


def window_start(occurred_at, seconds):
    epoch = int(occurred_at.timestamp() // seconds) * seconds
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)


def run_job(bootstrap, topic, run_id, seconds, dedupe):
    """Counts the run's events by window and page, reading every partition to its current end."""
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "windowed-count-job-" + run_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
    })
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = sorted(metadata.topics[topic].partitions)
    ends = {}
    for p in partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        if low > 0:
            # The broker dropped the partition's oldest messages (retention; the embedded cluster
            # keeps about 5 MiB per partition): the job cannot see the whole run.
            print("partition %d starts at offset %d: the start of the topic is gone, windows will differ" % (p, low))
        if high > low:
            ends[p] = high
    consumer.assign([TopicPartition(topic, p, -2) for p in ends])  # -2: OFFSET_BEGINNING

    counts = collections.defaultdict(collections.Counter)
    seen = set()
    skipped = 0
    remaining = dict(ends)
    while remaining:
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error():
            raise SystemExit("consumer error: %s" % message.error())
        if message.offset() + 1 >= remaining.get(message.partition(), 0):
            remaining.pop(message.partition(), None)
        try:
            event = json.loads(message.value())
            if not isinstance(event, dict) or event.get("runId") != run_id:
                continue
            if dedupe:
                if event["eventId"] in seen:
                    continue
                seen.add(event["eventId"])
            start = window_start(parse_time(event["occurredAt"]), seconds)
            counts[start][event["page"]] += 1
        except (ValueError, KeyError, TypeError):
            skipped += 1
    consumer.close()
    return counts, skipped


def fetch_truth(api, run_id):
    request = urllib.request.Request(api.rstrip("/") + "/api/generator/truth?runId=" + run_id,
                                     headers={"Accept": "application/x-ndjson"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return [json.loads(line) for line in response if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--api", default="http://127.0.0.1:8080")
    parser.add_argument("--topic", default="user_clickstream")
    parser.add_argument("--run", required=True)
    parser.add_argument("--window", type=int, default=15)
    parser.add_argument("--dedupe", action="store_true")
    args = parser.parse_args()

    counts, skipped = run_job(args.bootstrap, args.topic, args.run, args.window, args.dedupe)
    truth = fetch_truth(args.api, args.run)

    mismatched = 0
    for window in truth:
        start = parse_time(window["start"])
        expected = collections.Counter(window["byPage"])
        if not args.dedupe:
            expected.update(window["injected"]["duplicatesByPage"])
        actual = counts.pop(start, collections.Counter())
        if actual != expected:
            mismatched += 1
            diff = {page: actual[page] - expected[page] for page in set(actual) | set(expected) if actual[page] != expected[page]}
            print("window %s differs: %s" % (window["start"], json.dumps(diff, sort_keys=True)))
    for start in sorted(counts):
        mismatched += 1
        print("window %s is not in the truth: %d events" % (start.isoformat(), sum(counts[start].values())))

    print("%d windows compared, %d differ; %d unreadable messages skipped; mode %s"
          % (len(truth), mismatched, skipped, "exactly-once (dedupe)" if args.dedupe else "at-least-once"))
    return 0 if mismatched == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
