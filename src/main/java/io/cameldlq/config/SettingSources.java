package io.cameldlq.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.PropertiesLookupListener;

/**
 * Records where Camel's properties component found the value of each key it looked up, so that a start-up
 * error can name the environment variable, system property or file that set an invalid value.
 */
public final class SettingSources implements PropertiesLookupListener {

    /** The source names that Camel 4.18 passes to lookup listeners for environment variables and system properties. */
    private static final String ENVIRONMENT = "ENV";
    private static final String SYSTEM_PROPERTY = "SYS";

    private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();

    @Override
    public void onLookup(String name, String value, String defaultValue, String source) {
        if (name != null && source != null) {
            lookups.put(name, new Lookup(source, value));
        }
    }

    /**
     * Returns a sentence that names where the last lookup of {@code key} found its value, or empty when no
     * lookup of it was recorded or {@code key} is null. The value as found tells an empty setting from one of
     * only whitespace, which the settings' parsing trims to the same empty text.
     */
    public Optional<String> describe(String key) {
        Lookup lookup = key == null ? null : lookups.get(key);
        if (lookup == null) {
            return Optional.empty();
        }
        String source = lookup.source();
        String origin;
        if (source.equals(ENVIRONMENT)) {
            origin = "the environment variable " + environmentVariable(key);
        } else if (source.equals(SYSTEM_PROPERTY)) {
            origin = "the system property " + key;
        } else if (source.startsWith("file:")) {
            origin = "the file " + Path.of(source.substring("file:".length())).toAbsolutePath();
        } else if (source.startsWith("classpath:")) {
            origin = "the packaged " + source.substring("classpath:".length()) + " (" + source + ")";
        } else {
            origin = "Camel's property source " + source;
        }
        String value = lookup.value();
        if (value != null && value.isEmpty()) {
            origin += ", which is set but empty";
        } else if (value != null && value.isBlank()) {
            origin += ", which contains only whitespace";
        }
        return Optional.of("The value comes from " + origin + ".");
    }

    /**
     * Returns the environment variable that Camel read for {@code key}. Camel tries the key in upper case first,
     * then with dots and dashes as underscores, e.g. TASK_PROCESSING_CONSUMERS.
     */
    static String environmentVariable(String key) {
        String upperCase = key.toUpperCase(Locale.ROOT);
        return System.getenv(upperCase) != null ? upperCase : upperCase.replace('.', '_').replace('-', '_');
    }

    /** The source of one lookup's value, and the value as found there. */
    private record Lookup(String source, String value) {
    }
}
