#!/usr/bin/env bash
# Lists the hot spots of a JFR recording from its jdk.ExecutionSample events:
#   bench/jfr-hotspots.sh RECORDING.jfr [ROWS]
# Prints the methods most often on top of a sampled stack (self time), the threads sampled, and the
# methods of Camel and camel-dlq most often anywhere on a sampled stack (self plus callees). ROWS
# (default 25) limits each list. Needs the JDK's jfr tool on the PATH or under JAVA_HOME.
set -euo pipefail

if [[ $# -lt 1 || ! -f $1 ]]; then
    echo "Usage: $0 RECORDING.jfr [ROWS]" >&2
    exit 2
fi
recording=$1
rows=${2:-25}
jfr_tool=jfr
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/jfr ]]; then
    jfr_tool=$JAVA_HOME/bin/jfr
fi

samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
# One line per sample: the thread name, a tab, then the frames from the top down, separated by tabs.
"$jfr_tool" print --events jdk.ExecutionSample --stack-depth 64 "$recording" | awk '
    /^jdk.ExecutionSample/ { thread = ""; frames = ""; in_stack = 0; next }
    /sampledThread = / { line = $0; sub(/.*sampledThread = "/, "", line); sub(/".*/, "", line); thread = line; next }
    /stackTrace = \[/ { in_stack = 1; next }
    in_stack && /^[[:space:]]*\]/ { in_stack = 0; print thread "\t" frames; next }
    in_stack {
        frame = $0
        sub(/^[[:space:]]+/, "", frame)
        sub(/[[:space:]]+line:.*/, "", frame)
        if (frame != "...") { frames = frames (frames == "" ? "" : "\t") frame }
    }
' > "$samples"

total=$(wc -l < "$samples")
echo "$total execution samples in $recording"
echo
echo "Top frames (self time):"
cut -f2 "$samples" | sort | uniq -c | sort -rn | head -n "$rows" \
    | awk -v total="$total" '{ count = $1; $1 = ""; printf "%6d %5.1f%% %s\n", count, 100 * count / total, substr($0, 2) }'
echo
echo "Threads:"
cut -f1 "$samples" | sed 's/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -n "$rows" \
    | awk -v total="$total" '{ count = $1; $1 = ""; printf "%6d %5.1f%% %s\n", count, 100 * count / total, substr($0, 2) }'
echo
echo "Camel and camel-dlq methods anywhere on the stack (self plus callees, once per sample):"
awk -F'\t' '{
        delete seen
        for (i = 2; i <= NF; i++) {
            if (($i ~ /^org\.apache\.camel\./ || $i ~ /^io\.cameldlq\./) && !($i in seen)) { seen[$i] = 1; print $i }
        }
    }' "$samples" | sort | uniq -c | sort -rn | head -n "$rows" \
    | awk -v total="$total" '{ count = $1; $1 = ""; printf "%6d %5.1f%% %s\n", count, 100 * count / total, substr($0, 2) }'
