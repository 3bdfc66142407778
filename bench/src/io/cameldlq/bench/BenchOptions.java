package io.cameldlq.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of {@link BenchHarness}; {@link #USAGE} lists them with their defaults. */
final class BenchOptions {

    static final String USAGE = """
            Usage: bench/run.sh [OPTION...]

            Measures camel-dlq (the packaged jar) against a plain kafka-clients consumer loop.

              --brokers HOST:PORT           use this broker instead of starting one (loopback only)
              --records N                   records preloaded for the happy path (1000000)
              --value-bytes N               value size in bytes, at least 11 (100)
              --partitions N                partitions of the benchmark topics (3)
              --repeats N                   runs of each contender per phase; the median is reported (3)
              --phases LIST                 happy,steady,failure or a subset (all three)
              --contenders LIST             camel-dlq,baseline,camel-dlq-non-blocking,
                                            camel-dlq-bounded-heap,baseline-bounded-heap,
                                            camel-dlq-extra or a subset (all)
              --bounded-heap SIZE           -Xmx of the two bounded-heap contenders, which run the
                                            happy path and the steady rate only (256m)
              --steady-rate N               records per second in the steady-rate phase (5000)
              --steady-seconds N            measured seconds of the steady-rate phase (20)
              --warm-up-seconds N           unmeasured seconds at the same rate before it (5)
              --work-micros N               CPU time in microseconds that the processing of each
                                            record takes, a busy loop, in every contender (0)
              --failure-records N           records of the failure path (100000)
              --failing N                   failing records among them, spread evenly (1000)
              --failure-warm-up N           unmeasured records before them, as many failing in
                                            proportion, consumed by the same process (0)
              --failure-repeats N           failure-path runs per contender with non-blocking
                                            retries (--repeats)
              --blocking-failure-repeats N  failure-path runs per contender with blocking retries,
                                            about 2,000 s each at the default scale; all of them
                                            run side by side (--repeats)
              --camel-dlq-property K=V      extra property of the contender camel-dlq-extra; repeatable
                                            (the contender is skipped when none is given)
              --jvm-option OPT              JVM option of every consumer process; repeatable
              --camel-dlq-jvm-option OPT    JVM option of the camel-dlq processes only, e.g. a
                                            -XX:StartFlightRecording=...; repeatable
              --output DIR                  directory of results.json and results.md (target/bench)
              --keep-work-dir               keep the temporary directory with process output and broker data
              --no-broker-warm-up           skip the unmeasured camel-dlq run over the failure path's
                                            records that warms the broker before the measured runs
              --jar FILE                    the camel-dlq jar (target/camel-dlq.jar)
              --routes DIR                  the routes directory copied next to each camel-dlq process (routes)
            """;

    /** Maximum work per record, in microseconds, that {@code --work-micros} accepts. */
    static final long MAX_WORK_MICROS = 1_000_000;

    String brokers;
    long records = 1_000_000;
    int valueBytes = 100;
    int partitions = 3;
    int repeats = 3;
    List<String> phases = List.of("happy", "steady", "failure");
    List<String> contenders = Contender.NAMES;
    String boundedHeap = "256m";
    int steadyRate = 5_000;
    int steadySeconds = 20;
    int warmUpSeconds = 5;
    long workMicros;
    long failureRecords = 100_000;
    long failing = 1_000;
    long failureWarmUp;
    Integer failureRepeats;
    Integer blockingFailureRepeats;
    final Map<String, String> camelDlqProperties = new LinkedHashMap<>();
    final List<String> jvmOptions = new ArrayList<>();
    final List<String> camelDlqJvmOptions = new ArrayList<>();
    Path output = Path.of("target/bench");
    boolean keepWorkDirectory;
    boolean brokerWarmUp = true;
    Path jar = Path.of("target/camel-dlq.jar");
    Path routes = Path.of("routes");

    /** Parses the arguments; throws {@link IllegalArgumentException} with the reason for a bad one. */
    static BenchOptions parse(String[] args) {
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--keep-work-dir")) {
                options.keepWorkDirectory = true;
                continue;
            }
            if (name.equals("--no-broker-warm-up")) {
                options.brokerWarmUp = false;
                continue;
            }
            if (name.equals("-h") || name.equals("--help")) {
                throw new HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--brokers" -> options.brokers = loopback(value);
                case "--records" -> options.records = positive(name, value);
                case "--value-bytes" -> options.valueBytes = (int) atLeast(name, value, BenchValues.MIN_SIZE);
                case "--partitions" -> options.partitions = (int) positive(name, value);
                case "--repeats" -> options.repeats = (int) positive(name, value);
                case "--phases" -> options.phases = list(name, value, List.of("happy", "steady", "failure"));
                case "--contenders" -> options.contenders = list(name, value, Contender.NAMES);
                case "--bounded-heap" -> options.boundedHeap = heapSize(name, value);
                case "--steady-rate" -> options.steadyRate = (int) positive(name, value);
                case "--steady-seconds" -> options.steadySeconds = (int) positive(name, value);
                case "--warm-up-seconds" -> options.warmUpSeconds = (int) atLeast(name, value, 0);
                case "--work-micros" -> {
                    options.workMicros = atLeast(name, value, 0);
                    if (options.workMicros > MAX_WORK_MICROS) {
                        throw new IllegalArgumentException("Invalid " + name + " " + options.workMicros
                                + ": must be at most " + MAX_WORK_MICROS + " (1 s per record)");
                    }
                }
                case "--failure-records" -> options.failureRecords = positive(name, value);
                case "--failing" -> options.failing = positive(name, value);
                case "--failure-warm-up" -> options.failureWarmUp = atLeast(name, value, 0);
                case "--failure-repeats" -> options.failureRepeats = (int) positive(name, value);
                case "--blocking-failure-repeats" -> options.blockingFailureRepeats = (int) positive(name, value);
                case "--camel-dlq-property" -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("Invalid --camel-dlq-property '" + value
                                + "': expected KEY=VALUE");
                    }
                    options.camelDlqProperties.put(value.substring(0, equals).trim(), value.substring(equals + 1).trim());
                }
                case "--jvm-option" -> options.jvmOptions.add(value);
                case "--camel-dlq-jvm-option" -> options.camelDlqJvmOptions.add(value);
                case "--output" -> options.output = Path.of(value);
                case "--jar" -> options.jar = Path.of(value);
                case "--routes" -> options.routes = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option " + name);
            }
        }
        if (options.failing > options.failureRecords) {
            throw new IllegalArgumentException("--failing " + options.failing + " exceeds --failure-records "
                    + options.failureRecords);
        }
        return options;
    }

    /** Returns {@code brokers} if every host in it is a loopback address, since the benchmark runs on loopback only. */
    private static String loopback(String brokers) {
        for (String address : brokers.split(",")) {
            String host = address.trim().replaceFirst(":\\d+$", "").replace("[", "").replace("]", "");
            if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("::1")) {
                throw new IllegalArgumentException("Invalid --brokers host '" + host
                        + "': the benchmark runs on loopback only (localhost, 127.x.x.x or ::1)");
            }
        }
        return brokers;
    }

    /** Returns the number of failure-path runs of {@code contender}, from the option of its retry mode. */
    int failureRunCount(Contender contender) {
        Integer count = contender.blockingRetries() ? blockingFailureRepeats : failureRepeats;
        return count == null ? repeats : count;
    }

    /** Returns a heap size as {@code -Xmx} takes it: a whole number with an optional k, m or g. */
    private static String heapSize(String name, String value) {
        if (!value.matches("[1-9][0-9]*[kKmMgG]?")) {
            throw new IllegalArgumentException("Invalid " + name + " '" + value
                    + "': expected a size as -Xmx takes it, e.g. 256m");
        }
        return value;
    }

    private static long positive(String name, String value) {
        return atLeast(name, value, 1);
    }

    private static long atLeast(String name, String value, long minimum) {
        long number;
        try {
            number = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + " '" + value + "': expected a whole number");
        }
        if (number < minimum) {
            throw new IllegalArgumentException("Invalid " + name + " " + number + ": must be at least " + minimum);
        }
        return number;
    }

    private static List<String> list(String name, String value, List<String> allowed) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!allowed.contains(trimmed)) {
                throw new IllegalArgumentException("Invalid " + name + " item '" + trimmed + "': expected one of "
                        + allowed);
            }
            items.add(trimmed);
        }
        return List.copyOf(items);
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
