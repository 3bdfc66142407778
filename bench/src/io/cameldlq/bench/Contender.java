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
 * One consumer implementation under measurement.
 *
 * @param name       {@code camel-dlq}, {@code baseline} or {@code camel-dlq-extra}
 * @param camelDlq   whether it is the packaged camel-dlq jar, else the baseline consumer loop
 * @param properties application properties added to the camel-dlq defaults (empty for the others)
 */
record Contender(String name, boolean camelDlq, Map<String, String> properties) {

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
