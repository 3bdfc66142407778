package io.cameldlq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A consumer JVM under measurement: camel-dlq or the baseline, started with the benchmark classes on
 * its class path. Reads the process's peak RSS and CPU time from /proc, so it needs Linux.
 */
final class ConsumerProcess implements AutoCloseable {

    private static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();

    private final Process process;
    private final Path output;
    private final Path statsFile;
    final long startedMs;

    private ConsumerProcess(Process process, Path output, Path statsFile, long startedMs) {
        this.process = process;
        this.output = output;
        this.statsFile = statsFile;
        this.startedMs = startedMs;
    }

    /**
     * Starts {@code java JVM_OPTIONS -cp CLASS_PATH -Dbench.stats-file=... MAIN_CLASS ARGS} in
     * {@code workingDirectory}, with its output in {@code output.log} there.
     */
    static ConsumerProcess start(Path workingDirectory, List<String> jvmOptions, String classPath, String mainClass,
            List<String> args) throws IOException {
        Path statsFile = workingDirectory.resolve("stats.properties");
        Path output = workingDirectory.resolve("output.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-D" + BenchTask.STATS_FILE_PROPERTY + "=" + statsFile);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // The harness's own settings must not reach the consumers: each reads only its working directory.
        builder.environment().keySet().removeIf(name -> name.startsWith("CAMEL_") || name.startsWith("JAVA_TOOL"));
        long startedMs = System.currentTimeMillis();
        return new ConsumerProcess(builder.start(), output, statsFile, startedMs);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Returns the peak resident set size (VmHWM) in MiB so far, or -1 once the process is gone. */
    double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Returns the CPU time, user plus system, in seconds so far, or -1 once the process is gone. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // Fields after the command name, which is in brackets and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return (double) ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Sends SIGTERM, waits up to {@code timeoutSeconds} for the exit, then kills the process. */
    void stop(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Returns the figures that {@link BenchTask} wrote at exit, or empty properties if it wrote none. */
    Properties stats() {
        Properties stats = new Properties();
        if (Files.exists(statsFile)) {
            try {
                stats.load(Files.newBufferedReader(statsFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + statsFile, e);
            }
        }
        return stats;
    }

    /** Returns the last {@code lines} lines of the process output. */
    String outputTail(int lines) {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String text = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(text);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
