package io.cameldlq.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Benchmark of camel-dlq against a plain kafka-clients consumer loop. It starts a broker (or uses a
 * given one), preloads records, and measures each contender several times, alternating them, in three
 * phases: a preloaded backlog (happy), a steady rate well below capacity (steady), and a backlog with
 * failing records (failure). It writes results.json and results.md. {@code bench/run.sh} builds and runs it.
 */
public final class BenchHarness {

    /** Phase names in results.json. */
    static final String FAILURE_PHASE = "failure";
    static final String FAILURE_HEALTHY_PHASE = "failure-healthy";

    private static final long POLL_INTERVAL_MS = 25;
    private static final long SIDE_BY_SIDE_POLL_INTERVAL_MS = 250;
    private static final long STOP_TIMEOUT_SECONDS = 60;
    private static final long GROUP_JOIN_TIMEOUT_MS = 90_000;

    private final BenchOptions options;
    private final Path workDirectory;
    private final String topicPrefix;
    private final String classPath;
    private final List<AutoCloseable> openProcesses = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> runs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> skipped = Collections.synchronizedMap(new LinkedHashMap<>());
    private String brokers;
    private BenchKafka kafka;
    /** Whether the clean-up has started, which a SIGTERM or Ctrl-C can trigger while the run goes on. */
    private volatile boolean cleaningUp;

    private BenchHarness(BenchOptions options, Path workDirectory) throws URISyntaxException {
        this.options = options;
        this.workDirectory = workDirectory;
        this.topicPrefix = "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-";
        Path benchClasses = Path.of(BenchHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        this.classPath = options.jar.toAbsolutePath() + File.pathSeparator + benchClasses;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.HelpRequested e) {
            System.out.print(BenchOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            // The usage text is long, so it would push the message off the screen.
            System.err.println(e.getMessage());
            System.err.println("Run bench/run.sh --help for the options.");
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar)) {
            System.err.println("The camel-dlq jar " + options.jar + " is missing; build it with mvn -B package -DskipTests");
            System.exit(2);
        }
        Path workDirectory = Files.createTempDirectory("camel-dlq-bench-");
        BenchHarness harness = new BenchHarness(options, workDirectory);
        // Runs on normal exit and on SIGTERM or Ctrl-C, so no consumer or broker process outlives the harness.
        Runtime.getRuntime().addShutdownHook(new Thread(harness::cleanUp, "bench-cleanup"));
        try {
            harness.run();
        } catch (Exception e) {
            if (harness.cleaningUp) {
                // The clean-up closed the clients and processes that the run was using.
                log("Stopped before the end; no results were written");
                return;
            }
            throw e;
        }
    }

    private void run() throws Exception {
        brokers = options.brokers != null ? options.brokers : startBroker();
        Map<String, Object> machine = MachineInfo.collect(options.brokers != null
                ? "external, " + options.brokers
                : "Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                        + " KRaft single node (camel-dlq's EmbeddedKafkaBroker) in its own JVM, -Xmx1g");
        log("Machine: " + machine);
        kafka = new BenchKafka(brokers);
        List<Contender> contenders = contenders();
        if (options.brokerWarmUp) {
            warmUpBroker();
        }

        boolean happy = options.phases.contains("happy");
        boolean steady = options.phases.contains("steady");
        String backlogTopic = topicPrefix + "backlog";
        if (happy) {
            kafka.createTopic(backlogTopic, options.partitions);
            long start = System.currentTimeMillis();
            kafka.preload(backlogTopic, options.partitions, options.records, options.valueBytes, i -> false);
            log("Preloaded " + options.records + " records into " + backlogTopic + " in "
                    + (System.currentTimeMillis() - start) + " ms");
        }
        for (int repeat = 1; repeat <= options.repeats && (happy || steady); repeat++) {
            for (Contender contender : alternate(contenders, repeat)) {
                if (happy && contender.runsIn("happy") && !skipped.containsKey(contender.name())) {
                    record(runHappy(contender, repeat, backlogTopic));
                }
                if (steady && contender.runsIn("steady") && !skipped.containsKey(contender.name())) {
                    record(runSteady(contender, repeat));
                }
            }
        }
        if (options.phases.contains("failure")) {
            String failureTopic = topicPrefix + "failure";
            long warmUp = options.failureWarmUp;
            long warmUpFailing = Math.round((double) options.failing * warmUp / options.failureRecords);
            long spacing = spacing();
            long warmUpSpacing = warmUpFailing == 0 ? 1 : warmUp / warmUpFailing;
            kafka.createTopic(failureTopic, options.partitions);
            kafka.preloadKinds(failureTopic, options.partitions, warmUp + options.failureRecords,
                    options.valueBytes, i -> {
                        if (i < warmUp) {
                            boolean failing = warmUpFailing > 0 && i % warmUpSpacing == warmUpSpacing / 2
                                    && i / warmUpSpacing < warmUpFailing;
                            return failing ? BenchValues.WARM_UP_FAILING : BenchValues.WARM_UP;
                        }
                        return failingKind(i - warmUp, spacing);
                    });
            log("Preloaded " + warmUp + " warm-up records, " + warmUpFailing + " of them failing, and "
                    + options.failureRecords + " records, " + options.failing + " of them failing, into "
                    + failureTopic);
            // The same counts with none failing give the all-healthy rate under the same conditions. The
            // healthy throughput during failures is compared with it.
            String healthyTopic = topicPrefix + "failure-healthy";
            kafka.createTopic(healthyTopic, options.partitions);
            kafka.preloadKinds(healthyTopic, options.partitions, warmUp + options.failureRecords,
                    options.valueBytes, i -> i < warmUp ? BenchValues.WARM_UP : BenchValues.BACKLOG);
            log("Preloaded " + warmUp + " warm-up records and " + options.failureRecords + " records, none failing, "
                    + "into " + healthyTopic);
            FailureBacklog withFailures = new FailureBacklog(failureTopic, FAILURE_PHASE, options.failing,
                    warmUpFailing, warmUp);
            FailureBacklog allHealthy = new FailureBacklog(healthyTopic, FAILURE_HEALTHY_PHASE, 0, 0, warmUp);
            List<Contender> failureContenders = contenders.stream().filter(contender -> contender.runsIn("failure"))
                    .toList();
            List<Contender> nonBlocking = failureContenders.stream().filter(contender -> !contender.blockingRetries())
                    .toList();
            List<Contender> blocking = failureContenders.stream().filter(Contender::blockingRetries).toList();
            for (int repeat = 1; repeat <= maxFailureRuns(nonBlocking); repeat++) {
                for (Contender contender : alternate(nonBlocking, repeat)) {
                    if (repeat <= options.failureRunCount(contender) && !skipped.containsKey(contender.name())) {
                        // Each run of the pair goes first in every other repeat, so that neither of them
                        // always meets the less warmed-up broker.
                        boolean failuresFirst = repeat % 2 == 1;
                        record(runFailure(contender, repeat, failuresFirst ? withFailures : allHealthy,
                                POLL_INTERVAL_MS));
                        record(runFailure(contender, repeat, failuresFirst ? allHealthy : withFailures,
                                POLL_INTERVAL_MS));
                    }
                }
            }
            for (int repeat = 1; repeat <= maxFailureRuns(blocking); repeat++) {
                for (Contender contender : alternate(blocking, repeat)) {
                    if (repeat <= options.failureRunCount(contender) && !skipped.containsKey(contender.name())) {
                        record(runFailure(contender, repeat, allHealthy, POLL_INTERVAL_MS));
                    }
                }
            }
            runSideBySide(blocking, withFailures);
        }
        machine.put("load_average_at_end", MachineInfo.loadAverage());

        BenchReport report = new BenchReport(options, machine, runs, skipped);
        Path output = options.output.toAbsolutePath();
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.json"), report.json(), StandardCharsets.UTF_8);
        String markdown = report.markdown();
        Files.writeString(output.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(markdown);
        log("Wrote " + output.resolve("results.json") + " and " + output.resolve("results.md"));
    }

    private int maxFailureRuns(List<Contender> contenders) {
        return contenders.stream().mapToInt(options::failureRunCount).max().orElse(0);
    }

    /**
     * Runs the failure path of the contenders with blocking retries, all their repeats at once. Such a run
     * sleeps 2 s per failing record with the default policy, about 2,000 s at the default scale, and its
     * healthy throughput is bound by that sleeping, not by the CPU. So runs side by side give the figures
     * that runs one after another would, in the time of one. Their lag and log lines are checked every
     * {@value #SIDE_BY_SIDE_POLL_INTERVAL_MS} ms instead of every {@value #POLL_INTERVAL_MS} ms, so that
     * several of them ask the broker no more often than one run at the shorter interval.
     */
    private void runSideBySide(List<Contender> contenders, FailureBacklog backlog) throws Exception {
        List<BlockingRun> blockingRuns = new ArrayList<>();
        for (Contender contender : contenders) {
            for (int repeat = 1; repeat <= options.failureRunCount(contender); repeat++) {
                if (!skipped.containsKey(contender.name())) {
                    blockingRuns.add(new BlockingRun(contender, repeat));
                }
            }
        }
        if (blockingRuns.isEmpty()) {
            return;
        }
        long longestDelayMs = blockingRuns.stream().mapToLong(run -> run.contender().lastRetryDueAfterMs()).max()
                .orElse(0);
        long seconds = options.failing * longestDelayMs / 1000;
        log("Starting " + blockingRuns.size() + " failure-path runs with blocking retries side by side; their "
                + "retries alone take about " + (seconds >= 120 ? seconds / 60 + " minutes" : seconds + " s"));
        ExecutorService executor = Executors.newFixedThreadPool(blockingRuns.size(), runnable -> {
            Thread thread = new Thread(runnable, "blocking-failure-run");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> results = new ArrayList<>();
            for (BlockingRun run : blockingRuns) {
                results.add(executor.submit(() -> {
                    record(runFailure(run.contender(), run.repeat(), backlog, SIDE_BY_SIDE_POLL_INTERVAL_MS));
                    return null;
                }));
            }
            for (Future<?> result : results) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception failure) {
                        throw failure;
                    }
                    throw e;
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** One failure-path run of a contender with blocking retries. */
    private record BlockingRun(Contender contender, int repeat) {
    }

    /** Records between two failing ones in the failure path. */
    private long spacing() {
        return options.failureRecords / options.failing;
    }

    /** Returns the kind of the failure path's record {@code index}: every {@code spacing}-th one fails. */
    private byte failingKind(long index, long spacing) {
        boolean failing = index % spacing == spacing / 2 && index / spacing < options.failing;
        return failing ? BenchValues.FAILING : BenchValues.BACKLOG;
    }

    /**
     * Runs camel-dlq once in the non-blocking mode over as many records as the failure path, as many
     * failing, and discards its figures. A broker that was just started has not compiled the code of most
     * requests yet: fetches that wait for data, produces of idempotent producers, commits, group
     * membership. Without this run the first measured runs of an invocation pay for that compilation.
     */
    private void warmUpBroker() throws Exception {
        String topic = topicPrefix + "broker-warm-up";
        kafka.createTopic(topic, options.partitions);
        long spacing = spacing();
        kafka.preloadKinds(topic, options.partitions, options.failureRecords, options.valueBytes,
                i -> failingKind(i, spacing));
        Contender warmUp = Contender.camelDlq("broker-warm-up", Contender.NON_BLOCKING_PROPERTIES);
        Map<String, Object> result = runFailure(warmUp, 0,
                new FailureBacklog(topic, FAILURE_PHASE, options.failing, 0, 0), POLL_INTERVAL_MS);
        // A jar without the non-blocking mode is not skipped as a contender for this.
        skipped.remove(warmUp.name());
        log("Broker warm-up, not measured: " + result);
    }

    /** Returns the contenders to run; camel-dlq-extra is left out, with the reason, when it cannot run. */
    private List<Contender> contenders() throws IOException {
        List<Contender> contenders = new ArrayList<>();
        for (String name : options.contenders) {
            switch (name) {
                case Contender.CAMEL_DLQ -> contenders.add(Contender.camelDlq(name, Map.of()));
                case Contender.BASELINE -> contenders.add(new Contender(name, false, Map.of(), List.of(),
                        Contender.ALL_PHASES));
                case Contender.NON_BLOCKING -> contenders.add(Contender.camelDlq(name,
                        Contender.NON_BLOCKING_PROPERTIES));
                case Contender.CAMEL_DLQ_BOUNDED_HEAP -> contenders.add(Contender.boundedHeap(name, true,
                        options.boundedHeap));
                case Contender.BASELINE_BOUNDED_HEAP -> contenders.add(Contender.boundedHeap(name, false,
                        options.boundedHeap));
                default -> {
                    String reason = options.camelDlqProperties.isEmpty()
                            ? "no --camel-dlq-property was given"
                            : Contender.unreadKey(options.jar, options.camelDlqProperties.keySet());
                    if (reason == null) {
                        contenders.add(Contender.camelDlq(name, options.camelDlqProperties));
                    } else {
                        skip(name, reason);
                    }
                }
            }
        }
        return contenders;
    }

    /** Returns the contenders in the given order for odd repeats and reversed for even ones. */
    private static List<Contender> alternate(List<Contender> contenders, int repeat) {
        List<Contender> order = new ArrayList<>(contenders);
        if (repeat % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /** Consumes the preloaded backlog until the group's committed lag is 0. */
    private Map<String, Object> runHappy(Contender contender, int repeat, String topic) throws Exception {
        Map<String, Object> result = newResult(contender, "happy", repeat);
        String runName = contender.name() + "-happy-" + repeat;
        String group = topicPrefix + runName;
        try (ConsumerProcess process = startContender(contender, runName, topic, group, topicPrefix + runName + "-dlt")) {
            long timeoutMs = 120_000 + options.records / 2;
            Long lagZeroMs = waitUntil(process, timeoutMs, contender, result,
                    () -> kafka.committedLag(group, topic, options.partitions) == 0);
            if (lagZeroMs == null) {
                return result;
            }
            Finished finished = finish(process);
            if (finished.firstRecordMs() == 0) {
                return fail(result, "the process wrote no figures at exit", process);
            }
            Properties stats = finished.stats();
            long firstRecordMs = finished.firstRecordMs();
            result.put("records", options.records);
            result.put("throughput_per_s", round(options.records / ((lagZeroMs - firstRecordMs) / 1000.0)));
            result.put("drain_s", round((lagZeroMs - firstRecordMs) / 1000.0));
            // The same with the JVM and application start counted in, for comparison with whole-job timings.
            result.put("throughput_from_process_start_per_s",
                    round(options.records / ((lagZeroMs - process.startedMs) / 1000.0)));
            result.put("startup_s", round((firstRecordMs - process.startedMs) / 1000.0));
            result.put("backlog_latency_p50_ms", LatencyHistogram.percentile(stats.getProperty("backlog-latency"), 50));
            result.put("backlog_latency_p99_ms", LatencyHistogram.percentile(stats.getProperty("backlog-latency"), 99));
            result.put("peak_rss_mb", round(finished.peakRssMb()));
            result.put("cpu_s", round(finished.cpuSeconds()));
            result.put("processed", Long.parseLong(stats.getProperty("healthy-records", "0")));
            return ok(result);
        }
    }

    /** Produces at a fixed rate to an empty topic while the contender consumes it, for the latency. */
    private Map<String, Object> runSteady(Contender contender, int repeat) throws Exception {
        Map<String, Object> result = newResult(contender, "steady", repeat);
        String runName = contender.name() + "-steady-" + repeat;
        String topic = topicPrefix + runName;
        String group = topicPrefix + runName;
        kafka.createTopic(topic, options.partitions);
        try (ConsumerProcess process = startContender(contender, runName, topic, group, topicPrefix + runName + "-dlt")) {
            if (waitUntil(process, GROUP_JOIN_TIMEOUT_MS, contender, result, () -> kafka.isGroupStable(group)) == null) {
                return result;
            }
            if (options.warmUpSeconds > 0) {
                kafka.sendAtRate(topic, options.partitions, BenchValues.WARM_UP, options.steadyRate,
                        options.warmUpSeconds, options.valueBytes);
            }
            double cpuBefore = process.cpuSeconds();
            double achievedRate = kafka.sendAtRate(topic, options.partitions, BenchValues.STEADY, options.steadyRate,
                    options.steadySeconds, options.valueBytes);
            if (waitUntil(process, 60_000, contender, result,
                    () -> kafka.committedLag(group, topic, options.partitions) == 0) == null) {
                return result;
            }
            double rssMb = peakRssMb(process);
            double cpuSeconds = process.cpuSeconds() - cpuBefore;
            process.stop(STOP_TIMEOUT_SECONDS);
            String latency = process.stats().getProperty("steady-latency");
            result.put("rate_per_s", round(achievedRate));
            result.put("measured_records", LatencyHistogram.count(latency));
            result.put("steady_latency_p50_ms", LatencyHistogram.percentile(latency, 50));
            result.put("steady_latency_p99_ms", LatencyHistogram.percentile(latency, 99));
            result.put("steady_latency_max_ms", LatencyHistogram.percentile(latency, 100));
            result.put("peak_rss_mb", round(rssMb));
            result.put("cpu_s", round(cpuSeconds));
            return ok(result);
        }
    }

    /**
     * Consumes a failure-path backlog until each failing record is dead-lettered (and logged) and the lag is
     * 0. The figures are those of the records after the warm-up, except all_logged_s: the log lines are
     * counted, not identified, so it waits for the warm-up's failing records too.
     */
    private Map<String, Object> runFailure(Contender contender, int repeat, FailureBacklog backlog,
            long pollIntervalMs) throws Exception {
        Map<String, Object> result = newResult(contender, backlog.phase(), repeat);
        String runName = contender.name() + "-" + backlog.phase() + "-" + repeat;
        String group = topicPrefix + runName;
        String deadLetterTopic = topicPrefix + runName + "-dlt";
        String topic = backlog.topic();
        long allFailing = backlog.failing() + backlog.warmUpFailing();
        kafka.createTopic(deadLetterTopic, options.partitions);
        LineCounter logLines = new LineCounter(
                workDirectory.resolve("runs").resolve(runName).resolve("dead_letter_log.txt"));
        long[] lagZeroMs = {0};
        long[] loggedMs = {0};
        try (BenchKafka.DeadLetterWatcher watcher = kafka.watchDeadLetters(deadLetterTopic, options.partitions);
                ConsumerProcess process = startContender(contender, runName, topic, group, deadLetterTopic)) {
            long timeoutMs = 180_000 + (backlog.warmUp() + options.failureRecords) / 2
                    + allFailing * contender.lastRetryDueAfterMs() * 3 / 2;
            Long doneMs = waitUntil(process, timeoutMs, contender, result, pollIntervalMs, () -> {
                long now = System.currentTimeMillis();
                if (lagZeroMs[0] == 0 && kafka.committedLag(group, topic, options.partitions) == 0) {
                    lagZeroMs[0] = now;
                }
                if (contender.camelDlq() && loggedMs[0] == 0 && logLines.count() >= allFailing) {
                    loggedMs[0] = now;
                }
                return lagZeroMs[0] != 0 && watcher.distinct() >= allFailing
                        && (!contender.camelDlq() || loggedMs[0] != 0);
            });
            if (doneMs == null) {
                result.put("dead_lettered_so_far", watcher.distinct());
                return result;
            }
            Finished finished = finish(process);
            if (finished.firstRecordMs() == 0) {
                return fail(result, "the process wrote no figures at exit", process);
            }
            Properties stats = finished.stats();
            long firstRecordMs = Long.parseLong(stats.getProperty("first-measured-ms", "0"));
            long lastHealthyMs = Long.parseLong(stats.getProperty("last-measured-healthy-ms", "0"));
            long healthy = Long.parseLong(stats.getProperty("measured-healthy-records", "0"));
            result.put("records", options.failureRecords);
            result.put("failing", backlog.failing());
            result.put("warm_up_records", backlog.warmUp());
            result.put("warm_up_failing", backlog.warmUpFailing());
            if (backlog.failing() > 0) {
                long allDeadLetteredMs = watcher.firstArrivalMs.entrySet().stream()
                        .filter(arrival -> arrival.getKey() >= backlog.warmUp())
                        .mapToLong(Map.Entry::getValue).max().orElseThrow();
                List<Long> delays = deadLetterDelays(stats, watcher, contender.lastRetryDueAfterMs());
                result.put("all_dead_lettered_s", round((allDeadLetteredMs - firstRecordMs) / 1000.0));
                if (contender.camelDlq()) {
                    result.put("all_logged_s", round((loggedMs[0] - firstRecordMs) / 1000.0));
                    result.put("log_lines", logLines.count());
                }
                result.put("dead_letter_copies", watcher.copies());
                result.put("dead_letter_delay_after_last_retry_due_p50_s",
                        round(percentileOf(delays, 50) / 1000.0));
                result.put("dead_letter_delay_after_last_retry_due_max_s",
                        round(percentileOf(delays, 100) / 1000.0));
            }
            result.put("healthy_processed", healthy);
            result.put("healthy_throughput_per_s", round(healthy / ((lastHealthyMs - firstRecordMs) / 1000.0)));
            result.put("drain_s", round((lagZeroMs[0] - firstRecordMs) / 1000.0));
            result.put("peak_rss_mb", round(finished.peakRssMb()));
            result.put("cpu_s", round(finished.cpuSeconds()));
            return ok(result);
        }
    }

    /**
     * A preloaded topic of the failure path: {@code warmUp} unmeasured records, {@code warmUpFailing} of them
     * failing, then the measured records, {@code failing} of them failing.
     */
    private record FailureBacklog(String topic, String phase, long failing, long warmUpFailing, long warmUp) {
    }

    /** Figures of a consumer process read just before it was stopped, and those it wrote at exit. */
    private record Finished(double peakRssMb, double cpuSeconds, Properties stats, long firstRecordMs) {
    }

    /** Reads the peak RSS and the CPU time, stops the process and reads the figures it wrote at exit. */
    private static Finished finish(ConsumerProcess process) throws InterruptedException {
        double rssMb = peakRssMb(process);
        double cpuSeconds = process.cpuSeconds();
        process.stop(STOP_TIMEOUT_SECONDS);
        Properties stats = process.stats();
        return new Finished(rssMb, cpuSeconds, stats, Long.parseLong(stats.getProperty("first-record-ms", "0")));
    }

    /**
     * Returns, for each failing record, the time from when its last retry was due (first attempt plus the
     * retry delays) until its dead letter reached the harness, in milliseconds.
     */
    private static List<Long> deadLetterDelays(Properties stats, BenchKafka.DeadLetterWatcher watcher,
            long lastRetryDueAfterMs) {
        List<Long> delays = new ArrayList<>();
        for (String name : stats.stringPropertyNames()) {
            if (name.startsWith("first-failed-attempt.")) {
                long number = Long.parseLong(name.substring(name.indexOf('.') + 1));
                Long arrivalMs = watcher.firstArrivalMs.get(number);
                if (arrivalMs != null) {
                    delays.add(arrivalMs - (Long.parseLong(stats.getProperty(name)) + lastRetryDueAfterMs));
                }
            }
        }
        return delays;
    }

    private ConsumerProcess startContender(Contender contender, String runName, String topic, String group,
            String deadLetterTopic) throws IOException {
        Path directory = Files.createDirectories(workDirectory.resolve("runs").resolve(runName));
        List<String> jvmOptions = new ArrayList<>(options.jvmOptions);
        jvmOptions.addAll(contender.jvmOptions());
        if (options.workMicros > 0) {
            jvmOptions.add("-D" + BenchTask.WORK_MICROS_PROPERTY + "=" + options.workMicros);
        }
        ConsumerProcess process;
        if (contender.camelDlq()) {
            copyRoutes(directory.resolve("routes"));
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("camel.component.kafka.brokers", brokers);
            properties.put("camel.beans.benchProcessor", "#class:" + BenchProcessor.class.getName());
            properties.put("task-processing.processor", "benchProcessor");
            properties.put("task-processing.topic", topic);
            properties.put("task-processing.group-id", group);
            properties.put("dead-letter.topic", deadLetterTopic);
            properties.put("dead-letter-log.group-id", group + "-log");
            // The default retry topic is the task topic's name plus -retry, which all runs over the same
            // task topic would share. Only the non-blocking mode creates and reads it.
            properties.put("redelivery.retry-topic", topicPrefix + runName + "-retry");
            // The health and metrics server stays on, as users run it, but on a free loopback port instead
            // of 0.0.0.0:9876, which another process may hold.
            properties.put("camel.management.port", "0");
            properties.put("camel.management.host", "127.0.0.1");
            properties.putAll(contender.properties());
            StringBuilder text = new StringBuilder("# Written by the benchmark; every other key has its packaged default.\n");
            properties.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
            Files.writeString(directory.resolve("application.properties"), text, StandardCharsets.UTF_8);
            jvmOptions.addAll(options.camelDlqJvmOptions);
            process = ConsumerProcess.start(directory, jvmOptions, classPath, "io.cameldlq.CamelDlqApplication", List.of());
        } else {
            process = ConsumerProcess.start(directory, jvmOptions, classPath, BaselineConsumer.class.getName(),
                    List.of("--brokers", brokers, "--topic", topic, "--group", group,
                            "--dead-letter-topic", deadLetterTopic,
                            "--attempts", String.valueOf(contender.attempts()),
                            "--delay-ms", String.valueOf(contender.delayMs())));
        }
        openProcesses.add(process);
        return process;
    }

    private void copyRoutes(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(options.routes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A condition checked by {@link #waitUntil}. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Checks {@code condition} every {@value #POLL_INTERVAL_MS} ms and returns the time it first held.
     * Returns null, with the run marked failed (or the contender skipped, see {@link #failOrSkip}), if the
     * process ends first or the timeout passes.
     */
    private Long waitUntil(ConsumerProcess process, long timeoutMs, Contender contender, Map<String, Object> result,
            Condition condition) throws Exception {
        return waitUntil(process, timeoutMs, contender, result, POLL_INTERVAL_MS, condition);
    }

    /** As {@link #waitUntil(ConsumerProcess, long, Contender, Map, Condition)}, checking every {@code pollIntervalMs}. */
    private Long waitUntil(ConsumerProcess process, long timeoutMs, Contender contender, Map<String, Object> result,
            long pollIntervalMs, Condition condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (condition.holds()) {
                return System.currentTimeMillis();
            }
            if (!process.isAlive()) {
                failOrSkip(contender, result, process);
                return null;
            }
            Thread.sleep(pollIntervalMs);
        }
        process.stop(STOP_TIMEOUT_SECONDS);
        fail(result, "timed out after " + timeoutMs / 1000 + " s", process);
        return null;
    }

    /**
     * Marks a run whose process ended early as failed. For camel-dlq-extra, an exit with an error before
     * the first record means that the jar rejected the extra properties, so that contender is skipped
     * from then on.
     */
    private void failOrSkip(Contender contender, Map<String, Object> result, ConsumerProcess process) {
        boolean processedNothing = process.stats().getProperty("first-record-ms", "0").equals("0");
        if (!contender.properties().isEmpty() && process.exitValue() != 0 && processedNothing) {
            String reason = "camel-dlq stopped with exit code " + process.exitValue() + " when started with "
                    + contender.properties() + ", so it rejects them: " + lastErrorLine(process);
            skip(contender.name(), reason);
            result.put("status", "skipped");
            result.put("message", reason);
            return;
        }
        fail(result, "the process ended with exit code " + process.exitValue(), process);
    }

    private static String lastErrorLine(ConsumerProcess process) {
        String[] lines = process.outputTail(40).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].contains("ERROR")) {
                return lines[i].strip();
            }
        }
        return lines[lines.length - 1].strip();
    }

    private void skip(String contender, String reason) {
        skipped.put(contender, reason);
        log("SKIPPED " + contender + ": " + reason);
    }

    private Map<String, Object> fail(Map<String, Object> result, String reason, ConsumerProcess process) {
        result.put("status", "failed");
        result.put("message", reason);
        log("FAILED " + result.get("contender") + " " + result.get("phase") + " run " + result.get("repeat") + ": "
                + reason + "\n--- last lines of its output ---\n" + process.outputTail(30));
        return result;
    }

    private static Map<String, Object> newResult(Contender contender, String phase, int repeat) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contender", contender.name());
        result.put("phase", phase);
        result.put("repeat", repeat);
        result.put("status", "running");
        return result;
    }

    private static Map<String, Object> ok(Map<String, Object> result) {
        result.put("status", "ok");
        return result;
    }

    private synchronized void record(Map<String, Object> result) {
        runs.add(result);
        log("Run: " + result);
    }

    /** Returns the peak RSS in megabytes (10^6 bytes); VmHWM is given in KiB. */
    private static double peakRssMb(ConsumerProcess process) {
        return process.peakRssMib() * 1024 * 1024 / 1_000_000.0;
    }

    /**
     * Counts the lines of a file that only grows, reading only what was appended since the last count. The
     * harness counts every 25 ms, and reading a log of megabytes each time would take the CPU it measures.
     */
    private static final class LineCounter {
        private final Path file;
        private long position;
        private long lines;

        LineCounter(Path file) {
            this.file = file;
        }

        long count() throws IOException {
            if (!Files.exists(file)) {
                return lines;
            }
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                int read;
                while ((read = channel.read(buffer, position)) > 0) {
                    for (int i = 0; i < read; i++) {
                        if (buffer.get(i) == '\n') {
                            lines++;
                        }
                    }
                    position += read;
                    buffer.clear();
                }
            }
            return lines;
        }
    }

    private static long percentileOf(List<Long> values, double percentile) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Starts the broker process and returns its bootstrap address once it accepts clients. */
    private String startBroker() throws IOException, InterruptedException {
        Path output = workDirectory.resolve("broker.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath, BenchBroker.class.getName(), "0",
                workDirectory.resolve("broker-data").toString());
        Process broker = new ProcessBuilder(command).redirectErrorStream(true).start();
        openProcesses.add(() -> {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        });
        BufferedReader reader = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(BenchBroker.READY_PREFIX)) {
                String address = line.substring(BenchBroker.READY_PREFIX.length()).trim();
                // Drains the rest of the output into a file, because a broker whose output pipe fills up would block.
                Thread drain = new Thread(() -> copyRest(reader, output), "broker-output");
                drain.setDaemon(true);
                drain.start();
                log("Broker started at " + address);
                return address;
            }
            lines.add(line);
        }
        throw new IllegalStateException("The broker process ended before it was ready:\n" + String.join("\n", lines));
    }

    private static void copyRest(BufferedReader reader, Path output) {
        try (var writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.newLine();
            }
        } catch (IOException e) {
            // The broker stopped; nothing more to copy.
        }
    }

    private void cleanUp() {
        cleaningUp = true;
        if (kafka != null) {
            if (options.brokers != null) {
                try {
                    kafka.deleteTopics(topicPrefix);
                } catch (InterruptedException | ExecutionException e) {
                    log("Cannot delete the benchmark topics " + topicPrefix + "*: " + e);
                }
            }
            kafka.close();
        }
        for (AutoCloseable process : openProcesses) {
            try {
                process.close();
            } catch (Exception e) {
                log("Cannot stop a process: " + e);
            }
        }
        if (options.keepWorkDirectory) {
            log("Kept the work directory " + workDirectory);
            return;
        }
        try (Stream<Path> paths = Files.walk(workDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log("Cannot delete the work directory " + workDirectory + ": " + e);
        }
    }

    static void log(String message) {
        System.err.println("[bench " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
    }
}
