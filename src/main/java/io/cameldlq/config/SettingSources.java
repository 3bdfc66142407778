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

    private final Map<String, String> sources = new ConcurrentHashMap<>();

    @Override
    public void onLookup(String name, String value, String defaultValue, String source) {
        if (name != null && source != null) {
            sources.put(name, source);
        }
    }

    /**
     * Returns a sentence that names where the last lookup of {@code key} found its value, or empty when no
     * lookup of it was recorded.
     */
    public Optional<String> describe(String key, String value) {
        String source = sources.get(key);
        if (source == null) {
            return Optional.empty();
        }
        String origin;
        if (source.equals(ENVIRONMENT)) {
            origin = "the environment variable " + environmentVariable(key);
        } else if (source.equals(SYSTEM_PROPERTY)) {
            origin = "the system property " + key;
        } else if (source.startsWith("file:")) {
            origin = "the file " + Path.of(source.substring("file:".length())).toAbsolutePath();
        } else if (source.startsWith("classpath:")) {
            origin = source.substring("classpath:".length()) + " in the jar";
        } else {
            origin = source;
        }
        boolean empty = value != null && value.isBlank();
        return Optional.of("The value comes from " + origin + (empty ? ", which is set but empty." : "."));
    }

    /**
     * Returns the environment variable that Camel read for {@code key}. Camel tries the key in upper case first,
     * then with dots and dashes as underscores, e.g. TASK_PROCESSING_CONSUMERS.
     */
    static String environmentVariable(String key) {
        String upperCase = key.toUpperCase(Locale.ROOT);
        return System.getenv(upperCase) != null ? upperCase : upperCase.replace('.', '_').replace('-', '_');
    }
}
