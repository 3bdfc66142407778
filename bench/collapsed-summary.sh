#!/usr/bin/env bash
# Summarizes a CPU profile in collapsed-stack format, as async-profiler writes it with the options
# `threads,collapsed`: one line per distinct stack, the frames separated by semicolons and the sample count
# last, the thread first.
#   bench/collapsed-summary.sh PROFILE [THREAD [ROWS]]
# Prints the samples per thread, then the frames most often anywhere on a stack (self plus callees, once
# per stack) among the stacks of threads whose name contains THREAD (all threads when it is empty).
# THREAD is matched against the names as recorded. The list of threads replaces digits with N, so that the
# threads of one pool add up. ROWS (default 40) limits each list. With event=cpu and interval=1ms, one
# sample is about 1 ms of CPU. Exits with 1 when no sample is in a selected thread, and with 2 on invalid
# arguments or input.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
    echo "Usage: $0 PROFILE [THREAD [ROWS]]" >&2
    exit 2
fi
profile=$1
thread=${2:-}
rows=${3:-40}
if [[ ! -f $profile || ! -r $profile ]]; then
    echo "Profile not found or not readable: $profile" >&2
    exit 2
fi
if [[ ! $rows =~ ^[1-9][0-9]*$ ]]; then
    echo "Invalid ROWS '$rows': expected a positive whole number" >&2
    exit 2
fi
# Every line of a collapsed-stack profile ends with a space and its sample count.
if [[ ! -s $profile ]] || ! head -n 1 "$profile" | LC_ALL=C grep -qE '^[^[:cntrl:]]+ [0-9]+$'; then
    echo "Invalid profile $profile: empty or not in collapsed-stack format (frames separated by ';', then a" \
        "space and a count on each line). For a JFR recording use bench/jfr-hotspots.sh." >&2
    exit 2
fi

awk -v rows="$rows" -v wanted="$thread" '
    {
        count = $NF
        stack = substr($0, 1, length($0) - length(count) - 1)
        frames = split(stack, frame, ";")
        name = frame[1]
        gsub(/[0-9]+/, "N", name)
        total += count
        per_thread[name] += count
        if (wanted != "" && index(frame[1], wanted) == 0) {
            next
        }
        selected += count
        delete seen
        for (i = 2; i <= frames; i++) {
            if (!(frame[i] in seen)) {
                seen[frame[i]] = 1
                anywhere[frame[i]] += count
            }
        }
    }
    END {
        if (selected == 0) {
            printf "No sample is in a thread whose name contains \"%s\". Run without THREAD to list the threads.\n", \
                wanted > "/dev/stderr"
        }
        printf "%d samples, %d of them in the selected threads\n\nThreads:\n", total, selected
        for (name in per_thread) {
            printf "%8d %5.1f%% %s\n", per_thread[name], 100 * per_thread[name] / total, name | "sort -rn | head -n " rows
        }
        close("sort -rn | head -n " rows)
        printf "\nFrames anywhere on a stack of the selected threads (self plus callees):\n"
        for (name in anywhere) {
            printf "%8d %5.1f%% %s\n", anywhere[name], 100 * anywhere[name] / selected, name | "sort -rn | head -n " rows
        }
        close("sort -rn | head -n " rows)
        if (selected == 0) {
            exit 1
        }
    }
' "$profile"
