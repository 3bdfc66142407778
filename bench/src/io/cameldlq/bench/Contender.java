package io.cameldlq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One consumer implementation under measurement, with the phases it runs in.
 *
 * @param name       one of {@link #NAMES}
 * @param camelDlq   whether it is the packaged camel-dlq jar, else the baseline consumer loop
 * @param properties application properties added to the camel-dlq defaults (empty for the baseline)
 * @param jvmOptions JVM options of this contender's processes, added to those of every process
 * @param phases     the phases it runs in
 */
record Contender(String name, boolean camelDlq, Map<String, String> properties, List<String> jvmOptions,
        List<String> phases) {

    static final String CAMEL_DLQ = "camel-dlq";
    static final String BASELINE = "baseline";
    static final String NON_BLOCKING = "camel-dlq-non-blocking";
    static final String CAMEL_DLQ_BOUNDED_HEAP = "camel-dlq-bounded-heap";
    static final String BASELINE_BOUNDED_HEAP = "baseline-bounded-heap";
    static final String EXTRA = "camel-dlq-extra";
    /** Every contender, in the default order. */
    static final List<String> NAMES = List.of(CAMEL_DLQ, BASELINE, NON_BLOCKING, CAMEL_DLQ_BOUNDED_HEAP,
            BASELINE_BOUNDED_HEAP, EXTRA);
    static final List<String> ALL_PHASES = List.of("happy", "steady", "failure");
    /** Application properties that switch camel-dlq to non-blocking retries. */
    static final Map<String, String> NON_BLOCKING_PROPERTIES = Map.of("redelivery.mode", "non-blocking");

    Contender {
        properties = Map.copyOf(properties);
        jvmOptions = List.copyOf(jvmOptions);
        phases = List.copyOf(phases);
    }

    /** Returns camel-dlq with the given application properties, in every phase. */
    static Contender camelDlq(String name, Map<String, String> properties) {
        return new Contender(name, true, properties, List.of(), ALL_PHASES);
    }

    /**
     * Returns camel-dlq or the baseline with at most {@code maxHeap} of heap ({@code -Xmx}), on the happy path and at
     * the steady rate, the phases whose peak RSS the memory target is about.
     */
    static Contender boundedHeap(String name, boolean camelDlq, String maxHeap) {
        return new Contender(name, camelDlq, Map.of(), List.of("-Xmx" + maxHeap), List.of("happy", "steady"));
    }

    /** Returns the contender whose happy-path throughput this one's is compared with: the baseline with the same heap. */
    static String baselineOf(String name) {
        return name.equals(CAMEL_DLQ_BOUNDED_HEAP) || name.equals(BASELINE_BOUNDED_HEAP) ? BASELINE_BOUNDED_HEAP : BASELINE;
    }

    boolean runsIn(String phase) {
        return phases.contains(phase);
    }

    /**
     * Tells whether a failing record delays the records after it: true for the baseline, and for camel-dlq
     * unless it retries non-blocking.
     */
    boolean blockingRetries() {
        return !camelDlq || !"non-blocking".equalsIgnoreCase(properties.getOrDefault("redelivery.mode", "blocking").trim());
    }

    /** Attempts per failing record: the first one and the retries. */
    int attempts() {
        return (int) number("redelivery.maximum-redeliveries", 2) + 1;
    }

    /** Pause between two attempts in milliseconds; a back-off multiplier is not taken into account. */
    long delayMs() {
        return number("redelivery.delay-ms", 1000);
    }

    /** Returns a whole-number property, or the default when it is missing or invalid (camel-dlq then rejects it). */
    private long number(String key, long defaultValue) {
        try {
            return Long.parseLong(properties.getOrDefault(key, String.valueOf(defaultValue)).trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    /** Time from the first attempt of a failing record until its last retry is due, in milliseconds. */
    long lastRetryDueAfterMs() {
        return (attempts() - 1) * delayMs();
    }

    /**
     * Returns why the jar would ignore one of {@code keys}, or null if it reads them all. A key counts as
     * read when its text occurs in a class under io/cameldlq/ or in the packaged application.properties.
     * Keys under {@code camel.} are read by Camel itself and are not checked.
     */
    static String unreadKey(Path jar, Iterable<String> keys) throws IOException {
        List<String> texts = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if ((name.startsWith("io/cameldlq/") && name.endsWith(".class")) || name.equals("application.properties")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        texts.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        for (String key : keys) {
            if (!key.startsWith("camel.") && texts.stream().noneMatch(text -> text.contains(key))) {
                return "the jar " + jar + " does not read the property " + key
                        + " (it occurs in none of its classes and not in its application.properties), so camel-dlq "
                        + "would ignore it";
            }
        }
        return null;
    }
}
