#!/usr/bin/env bash
# Summarizes a CPU profile in collapsed-stack format, as async-profiler writes it with the options
# `threads,collapsed`: one line per distinct stack, the frames separated by semicolons and the sample count
# last, the thread first.
#   bench/collapsed-summary.sh PROFILE [THREAD [ROWS]]
# Prints the samples per thread, then the frames most often anywhere on a stack (self plus callees, once
# per stack) among the stacks of threads whose name contains THREAD (all threads when it is empty).
# Digits in thread names are replaced with N, so that the threads of one pool add up. ROWS (default 40)
# limits each list. With event=cpu and interval=1ms, one sample is about 1 ms of CPU.
set -euo pipefail

if [[ $# -lt 1 || ! -f $1 ]]; then
    echo "Usage: $0 PROFILE [THREAD [ROWS]]" >&2
    exit 2
fi
profile=$1
thread=${2:-}
rows=${3:-40}

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
    }
' "$profile"
