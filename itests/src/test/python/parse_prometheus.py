"""Reads Prometheus text exposition (format 0.0.4) on stdin and prints it as JSON, parsed by the Prometheus Python
client's own parser (prometheus_client.parser, Debian package python3-prometheus-client):
[{"name", "type", "samples": [{"name", "labels", "value"}]}]. Text it cannot parse exits 1 with the parser's error."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    try:
        families = [{"name": family.name, "type": family.type,
                     "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples]}
                    for family in text_string_to_metric_families(text)]
    except Exception as e:  # the parser raises ValueError and others for malformed text
        sys.stderr.write("not Prometheus text: %r\n" % (e,))
        sys.exit(1)
    # +Inf and NaN as JSON numbers' strings: json.dumps would write Infinity/NaN, which Jackson refuses by default
    for family in families:
        for sample in family["samples"]:
            value = sample["value"]
            if value != value or value in (float("inf"), float("-inf")):
                sample["value"] = str(value)
    sys.stdout.write(json.dumps(families))


if __name__ == "__main__":
    main()
