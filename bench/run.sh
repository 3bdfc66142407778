#!/usr/bin/env bash
# Builds what the benchmark needs and runs it: bench/run.sh [OPTION...]; bench/run.sh --help lists the
# options. The benchmark classes are compiled against the packaged jar into bench/target/classes, so
# they never enter target/camel-dlq.jar. Works offline once Maven has the project's dependencies.
set -euo pipefail

project_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$project_dir"

jar=target/camel-dlq.jar
classes=bench/target/classes

if [[ ! -f $jar ]]; then
    echo "[bench] $jar is missing; building it with mvn -B -q package -DskipTests" >&2
    # Maven's output goes to standard error, so that standard output carries only the results.
    mvn -B -q -Dstyle.color=never package -DskipTests >&2
fi

# Compiles when a source or the jar is newer than the last compilation.
stamp=$classes/.compiled
if [[ ! -f $stamp ]] || [[ -n $(find bench/src "$jar" -newer "$stamp" -print -quit) ]]; then
    rm -rf "$classes"
    mkdir -p "$classes"
    javac -Xlint:all -Werror -cp "$jar" -d "$classes" $(find bench/src -name '*.java')
    touch "$stamp"
fi

# The harness, the broker and every consumer run from a private copy of the jar and the benchmark classes.
# A JVM reads classes from its jar while it runs, so a build that rewrote the jar broke a run in progress.
snapshot=$(mktemp -d "${TMPDIR:-/tmp}/camel-dlq-bench-classes.XXXXXX")
cp "$jar" "$snapshot/camel-dlq.jar"
cp -r "$classes" "$snapshot/classes"

harness_pid=
stop_harness() {
    # The harness stops its broker and consumer processes in its own shutdown hook.
    if [[ -n $harness_pid ]] && kill -0 "$harness_pid" 2>/dev/null; then
        kill -TERM "$harness_pid" 2>/dev/null || true
        wait "$harness_pid" 2>/dev/null || true
    fi
    rm -rf "$snapshot"
}
trap stop_harness EXIT
trap 'exit 130' INT TERM

java -Xmx512m -cp "$snapshot/camel-dlq.jar:$snapshot/classes" io.cameldlq.bench.BenchHarness \
    --jar "$snapshot/camel-dlq.jar" --routes "$project_dir/routes" --output "$project_dir/target/bench" "$@" &
harness_pid=$!
wait "$harness_pid"
status=$?
harness_pid=
exit "$status"
