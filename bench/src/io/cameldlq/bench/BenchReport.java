package io.cameldlq.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians of the runs, compared with the targets, as JSON and as Markdown tables. */
final class BenchReport {

    private static final double HAPPY_THROUGHPUT_TARGET = 0.70;
    private static final double FAILURE_HEALTHY_THROUGHPUT_TARGET = 0.80;
    private static final double DEAD_LETTER_DELAY_TARGET_S = 10;
    private static final double STARTUP_TARGET_S = 3;
    private static final double RSS_TARGET_MB = 300;

    private final BenchOptions options;
    private final Map<String, Object> machine;
    private final List<Map<String, Object>> runs;
    private final Map<String, String> skipped;

    BenchReport(BenchOptions options, Map<String, Object> machine, List<Map<String, Object>> runs,
            Map<String, String> skipped) {
        this.options = options;
        this.machine = machine;
        this.runs = runs;
        this.skipped = skipped;
    }

    /** Returns the median of {@code metric} over the successful runs of a contender in a phase, or NaN. */
    double median(String contender, String phase, String metric) {
        List<Double> values = values(contender, phase, metric);
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(null);
        int middle = values.size() / 2;
        // The mean of the two middle values, rounded as the runs' own figures are, so that it prints without
        // binary-fraction noise such as 0.07500000000000001.
        return values.size() % 2 == 1 ? values.get(middle)
                : BenchHarness.round((values.get(middle - 1) + values.get(middle)) / 2);
    }

    /** Returns the largest value of {@code metric} over the successful runs of a contender in a phase, or NaN. */
    private double maximum(String contender, String phase, String metric) {
        return values(contender, phase, metric).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private List<Double> values(String contender, String phase, String metric) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            if (run.get("contender").equals(contender) && run.get("phase").equals(phase)
                    && "ok".equals(run.get("status")) && run.get(metric) instanceof Number number) {
                values.add(number.doubleValue());
            }
        }
        return values;
    }

    private long okRuns(String contender, String phase) {
        return runs.stream().filter(run -> run.get("contender").equals(contender) && run.get("phase").equals(phase)
                && "ok".equals(run.get("status"))).count();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("parameters", parameters());
        Map<String, Object> medians = new LinkedHashMap<>();
        for (String phase : List.of("happy", "steady", "failure", "failure-healthy")) {
            for (String contender : options.contenders) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (String metric : metrics(phase)) {
                    double value = median(contender, phase, metric);
                    if (!Double.isNaN(value)) {
                        values.put(metric, BenchHarness.round(value));
                    }
                }
                if (!values.isEmpty()) {
                    values.put("runs", okRuns(contender, phase));
                    medians.put(phase + "/" + contender, values);
                }
            }
        }
        root.put("medians", medians);
        root.put("skipped", skipped);
        root.put("runs", runs);
        StringBuilder text = new StringBuilder();
        writeJson(root, text, "");
        return text.append('\n').toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Results\n\n");
        md.append("Machine: ").append(machine.get("cores")).append(" cores (").append(machine.get("cpu"))
                .append("), ").append(machine.get("memory_gib")).append(" GiB, ").append(machine.get("os"))
                .append(". JDK: ").append(machine.get("jdk")).append(". kafka-clients ")
                .append(machine.get("kafka_clients")).append(", Camel ").append(machine.get("camel"))
                .append(". Broker: ").append(machine.get("broker")).append(". Load average at start ")
                .append(machine.get("load_average_at_start")).append(", at end ")
                .append(machine.get("load_average_at_end")).append(". Date: ").append(machine.get("date"))
                .append(".\n\n");

        md.append("Parameters: ").append(parameters()).append("\n\n");
        md.append("Each figure is the median of the successful runs (count in the last column).\n\n");

        if (options.phases.contains("happy")) {
            md.append(happyTable());
        }
        if (options.phases.contains("steady")) {
            md.append(steadyTable());
        }
        if (options.phases.contains("failure")) {
            md.append(failureTable());
        }

        md.append(targets());
        if (!skipped.isEmpty()) {
            md.append("\nSkipped:\n\n");
            skipped.forEach((contender, reason) -> md.append("- ").append(contender).append(": ").append(reason)
                    .append('\n'));
        }
        long failed = runs.stream().filter(run -> "failed".equals(run.get("status"))).count();
        if (failed > 0) {
            md.append("\n").append(failed).append(" run(s) failed; see results.json for the reasons.\n");
        }
        return md.toString();
    }

    private String happyTable() {
        StringBuilder md = new StringBuilder();
        md.append("### Happy path: backlog of ").append(options.records).append(" records\n\n");
        if (options.contenders.contains(Contender.CAMEL_DLQ_BOUNDED_HEAP)) {
            md.append("camel-dlq-bounded-heap is compared with baseline-bounded-heap, which has the same heap.\n\n");
        }
        md.append("| contender | throughput (records/s) | vs baseline | start-up to first record (s) "
                + "| peak RSS (MB) | CPU (s) | backlog latency p50 / p99 (ms) | runs |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (String contender : options.contenders) {
            if (okRuns(contender, "happy") == 0) {
                continue;
            }
            double throughput = median(contender, "happy", "throughput_per_s");
            String baseline = Contender.baselineOf(contender);
            md.append("| ").append(contender).append(" | ").append(whole(throughput)).append(" | ")
                    .append(contender.equals(baseline) ? "100 %"
                            : percent(throughput / median(baseline, "happy", "throughput_per_s")))
                    .append(" | ").append(median(contender, "happy", "startup_s"))
                    .append(" | ").append(whole(median(contender, "happy", "peak_rss_mb")))
                    .append(" | ").append(median(contender, "happy", "cpu_s"))
                    .append(" | ").append(whole(median(contender, "happy", "backlog_latency_p50_ms"))).append(" / ")
                    .append(whole(median(contender, "happy", "backlog_latency_p99_ms")))
                    .append(" | ").append(okRuns(contender, "happy")).append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private String steadyTable() {
        StringBuilder md = new StringBuilder();
        md.append("### Steady rate: ").append(options.steadyRate).append(" records/s for ")
                .append(options.steadySeconds).append(" s after ").append(options.warmUpSeconds)
                .append(" s of warm-up\n\n");
        md.append("| contender | rate achieved (records/s) | latency p50 (ms) | latency p99 (ms) | latency max (ms) "
                + "| peak RSS (MB) | CPU in the measured part (s) | runs |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (String contender : options.contenders) {
            if (okRuns(contender, "steady") == 0) {
                continue;
            }
            md.append("| ").append(contender).append(" | ").append(whole(median(contender, "steady", "rate_per_s")))
                    .append(" | ").append(whole(median(contender, "steady", "steady_latency_p50_ms")))
                    .append(" | ").append(whole(median(contender, "steady", "steady_latency_p99_ms")))
                    .append(" | ").append(whole(median(contender, "steady", "steady_latency_max_ms")))
                    .append(" | ").append(whole(median(contender, "steady", "peak_rss_mb")))
                    .append(" | ").append(median(contender, "steady", "cpu_s"))
                    .append(" | ").append(okRuns(contender, "steady")).append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private String failureTable() {
        StringBuilder md = new StringBuilder();
        md.append("### Failure path: ").append(options.failureRecords).append(" records, ")
                .append(options.failing).append(" failing");
        if (options.failureWarmUp > 0) {
            md.append(", after ").append(options.failureWarmUp).append(" warm-up records");
        }
        md.append("\n\n");
        md.append("| contender | all dead-lettered (s) | all logged (s) | dead letter after last retry due, "
                + "p50 / max (s) | healthy throughput (records/s) | all healthy, same count (records/s) "
                + "| vs all healthy | vs its happy path | drained (s) | peak RSS (MB) | runs |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String contender : options.contenders) {
            if (okRuns(contender, "failure") == 0) {
                continue;
            }
            double healthy = median(contender, "failure", "healthy_throughput_per_s");
            md.append("| ").append(contender)
                    .append(" | ").append(median(contender, "failure", "all_dead_lettered_s"))
                    .append(" | ").append(orDash(median(contender, "failure", "all_logged_s")))
                    .append(" | ").append(median(contender, "failure", "dead_letter_delay_after_last_retry_due_p50_s"))
                    .append(" / ").append(median(contender, "failure", "dead_letter_delay_after_last_retry_due_max_s"))
                    .append(" | ").append(whole(healthy))
                    .append(" | ").append(whole(allHealthy(contender)))
                    .append(" | ").append(percent(healthy / allHealthy(contender)))
                    .append(" | ").append(percent(healthy / median(contender, "happy", "throughput_per_s")))
                    .append(" | ").append(median(contender, "failure", "drain_s"))
                    .append(" | ").append(whole(median(contender, "failure", "peak_rss_mb")))
                    .append(" | ").append(okRuns(contender, "failure")).append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private String targets() {
        StringBuilder md = new StringBuilder("### Targets\n\n");
        double ratio = median("camel-dlq", "happy", "throughput_per_s") / median("baseline", "happy", "throughput_per_s");
        md.append(target("Happy path: camel-dlq throughput at least 70 % of the baseline", percent(ratio),
                ratio >= HAPPY_THROUGHPUT_TARGET, ratio));
        double startup = median("camel-dlq", "happy", "startup_s");
        md.append(target("Start-up of camel-dlq to the first record at most 3 s, broker running", startup + " s",
                startup <= STARTUP_TARGET_S, startup));
        for (String contender : List.of(Contender.CAMEL_DLQ, Contender.CAMEL_DLQ_BOUNDED_HEAP)) {
            double rss = maxOfMeasured(median(contender, "happy", "peak_rss_mb"),
                    median(contender, "steady", "peak_rss_mb"));
            String heap = contender.equals(Contender.CAMEL_DLQ) ? "the JVM's default heap" : "-Xmx" + options.boundedHeap;
            md.append(target("Peak RSS of camel-dlq under load at most 300 MB, " + heap, whole(rss) + " MB",
                    rss <= RSS_TARGET_MB, rss));
        }
        String nonBlocking = Contender.NON_BLOCKING;
        // Every failing record of every run counts, so this takes the largest delay, not the median of the runs.
        double delay = maximum(nonBlocking, "failure", "dead_letter_delay_after_last_retry_due_max_s");
        md.append(target("Failure path, " + nonBlocking
                        + ": every failing record dead-lettered within 10 s of its last retry being due",
                delay + " s at most in " + okRuns(nonBlocking, "failure") + " run(s)",
                delay <= DEAD_LETTER_DELAY_TARGET_S, delay));
        double healthyRatio = median(nonBlocking, "failure", "healthy_throughput_per_s") / allHealthy(nonBlocking);
        md.append(target("Failure path, " + nonBlocking + ": healthy throughput at least 80 % of its all-healthy rate "
                        + "at the same record count",
                percent(healthyRatio), healthyRatio >= FAILURE_HEALTHY_THROUGHPUT_TARGET, healthyRatio));
        return md.toString();
    }

    /** Returns the contender's healthy throughput over the failure path's record count with none failing. */
    private double allHealthy(String contender) {
        return median(contender, "failure-healthy", "healthy_throughput_per_s");
    }

    private static String target(String name, String value, boolean met, double raw) {
        if (Double.isNaN(raw)) {
            return "- " + name + ": - (not measured)\n";
        }
        return "- " + name + ": " + value + (met ? " (met)" : " (NOT met)") + "\n";
    }

    /** Returns the options of this run, without those of phases that did not run. */
    private Map<String, Object> parameters() {
        boolean happy = options.phases.contains("happy");
        boolean steady = options.phases.contains("steady");
        boolean failure = options.phases.contains("failure");
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (happy) {
            parameters.put("records", options.records);
        }
        parameters.put("value_bytes", options.valueBytes);
        parameters.put("partitions", options.partitions);
        parameters.put("repeats", options.repeats);
        parameters.put("phases", String.join(",", options.phases));
        parameters.put("work_micros", options.workMicros);
        if (steady) {
            parameters.put("steady_rate", options.steadyRate);
            parameters.put("steady_seconds", options.steadySeconds);
            parameters.put("warm_up_seconds", options.warmUpSeconds);
        }
        parameters.put("broker_warm_up", options.brokerWarmUp);
        // The broker warm-up runs over as many records as the failure path, so it uses these two as well.
        if (failure || options.brokerWarmUp) {
            parameters.put("failure_records", options.failureRecords);
            parameters.put("failing", options.failing);
        }
        if (failure) {
            parameters.put("failure_warm_up", options.failureWarmUp);
            parameters.put("failure_repeats",
                    options.failureRepeats == null ? options.repeats : options.failureRepeats);
            parameters.put("blocking_failure_repeats",
                    options.blockingFailureRepeats == null ? options.repeats : options.blockingFailureRepeats);
        }
        if (happy || steady) {
            parameters.put("bounded_heap", options.boundedHeap);
        }
        parameters.put("camel_dlq_properties", options.camelDlqProperties);
        parameters.put("jvm_options", options.jvmOptions);
        parameters.put("camel_dlq_jvm_options", options.camelDlqJvmOptions);
        return parameters;
    }

    private static List<String> metrics(String phase) {
        return switch (phase) {
            case "happy" -> List.of("throughput_per_s", "drain_s", "startup_s", "backlog_latency_p50_ms",
                    "backlog_latency_p99_ms", "peak_rss_mb", "cpu_s");
            case "steady" -> List.of("rate_per_s", "steady_latency_p50_ms", "steady_latency_p99_ms",
                    "steady_latency_max_ms", "peak_rss_mb", "cpu_s");
            default -> List.of("all_dead_lettered_s", "all_logged_s", "dead_letter_delay_after_last_retry_due_p50_s",
                    "dead_letter_delay_after_last_retry_due_max_s", "healthy_throughput_per_s", "drain_s",
                    "peak_rss_mb", "cpu_s");
        };
    }

    /** Returns the larger of two figures, ignoring one that was not measured (NaN). */
    private static double maxOfMeasured(double first, double second) {
        if (Double.isNaN(first)) {
            return second;
        }
        return Double.isNaN(second) ? first : Math.max(first, second);
    }

    private static String whole(double value) {
        return Double.isNaN(value) ? "-" : String.valueOf(Math.round(value));
    }

    private static String orDash(double value) {
        return Double.isNaN(value) ? "-" : String.valueOf(value);
    }

    /** Formats a ratio as a percentage, with one decimal below 10 % so that a small share does not read as 0 %. */
    private static String percent(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "-";
        }
        double percentage = ratio * 100;
        return percentage < 10 ? String.format(java.util.Locale.ROOT, "%.1f %%", percentage) : Math.round(percentage) + " %";
    }

    private static void writeJson(Object value, StringBuilder text, String indent) {
        if (value instanceof Map<?, ?> map) {
            text.append("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                text.append(first ? "\n" : ",\n").append(inner);
                writeString(String.valueOf(entry.getKey()), text);
                text.append(": ");
                writeJson(entry.getValue(), text, inner);
                first = false;
            }
            text.append(first ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            text.append("[");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "\n" : ",\n").append(inner);
                writeJson(list.get(i), text, inner);
            }
            text.append(list.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            text.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            text.append(value);
        } else if (value == null) {
            text.append("null");
        } else {
            writeString(value.toString(), text);
        }
    }

    private static void writeString(String value, StringBuilder text) {
        text.append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
