package io.cameldlq.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * How often and how far apart a failing record is attempted, from the {@code redelivery.*} keys.
 *
 * <p>The pause before retry {@code n} (1 for the first retry) is {@code delayMs × multiplier^(n-1)}, at most
 * {@code maximumDelayMs}, then moved by up to {@code jitter} of itself in either direction. A failure whose
 * exception, or one of its causes, is an instance of a {@code notRetryable} class is not retried.
 *
 * @param maximumRedeliveries retries after the first attempt
 * @param delayMs             pause before the first retry, in milliseconds
 * @param multiplier          factor applied to the pause for each further retry; 1 keeps it fixed
 * @param maximumDelayMs      longest pause, in milliseconds
 * @param jitter              fraction of the pause, 0 to 1, by which it is randomly lengthened or shortened
 * @param notRetryable        exception classes that are dead-lettered after the first attempt
 */
public record RetryPolicy(int maximumRedeliveries, long delayMs, double multiplier, long maximumDelayMs,
        double jitter, List<Class<? extends Throwable>> notRetryable) {

    public static final String NOT_RETRYABLE_KEY = "redelivery.not-retryable-exceptions";

    public static RetryPolicy load(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        long delay = PipelineSettings.number(properties, "redelivery.delay-ms", 1000, 0, 3_600_000);
        long maximumDelay = PipelineSettings.number(properties, "redelivery.maximum-delay-ms",
                Math.max(delay, 60_000), 0, 86_400_000);
        if (maximumDelay < delay) {
            // The packaged application.properties sets this key, so a user who raised only the delay meets it.
            throw new InvalidSettingException("redelivery.maximum-delay-ms", String.valueOf(maximumDelay),
                    "must be at least redelivery.delay-ms, " + delay + "; raise it or lower redelivery.delay-ms");
        }
        return new RetryPolicy(
                (int) PipelineSettings.number(properties, "redelivery.maximum-redeliveries", 2, 0, 1_000),
                delay,
                decimal(properties, "redelivery.backoff-multiplier", 1.0, 1.0, 100.0),
                maximumDelay,
                decimal(properties, "redelivery.jitter", 0.0, 0.0, 1.0),
                classes(context, properties.resolveProperty(NOT_RETRYABLE_KEY).orElse("")));
    }

    /** Returns the number of attempts in all: the first one and the retries. */
    public int maximumAttempts() {
        return maximumRedeliveries + 1;
    }

    /** Returns the shortest pause between two attempts that the jitter allows, in milliseconds. */
    public long shortestPauseMs() {
        return (long) Math.floor(delayMs * (1 - jitter));
    }

    /** Returns the pause before retry {@code retry} (1 for the first), with jitter applied. */
    public long delayBeforeRetry(int retry) {
        double delay = Math.min(maximumDelayMs, delayMs * Math.pow(multiplier, Math.max(0, retry - 1)));
        if (jitter > 0) {
            delay *= 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        }
        return Math.round(delay);
    }

    /** Returns whether {@code failure}, or one of its causes, is of a class that is not retried. */
    public boolean isNotRetryable(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            for (Class<? extends Throwable> type : notRetryable) {
                if (type.isInstance(current)) {
                    return true;
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    private static double decimal(PropertiesComponent properties, String key, double defaultValue, double min,
            double max) {
        Optional<String> raw = properties.resolveProperty(key).map(String::trim);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, raw.get(), "must be a number");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidSettingException(key, raw.get(), "must be between " + min + " and " + max);
        }
        return value;
    }

    private static List<Class<? extends Throwable>> classes(CamelContext context, String names) {
        List<Class<? extends Throwable>> classes = new ArrayList<>();
        for (String name : names.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Class<?> type = context.getClassResolver().resolveClass(trimmed);
            if (type == null) {
                throw new InvalidSettingException(NOT_RETRYABLE_KEY, trimmed, "class not found on the class path");
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new InvalidSettingException(NOT_RETRYABLE_KEY, trimmed, "is not an exception class");
            }
            classes.add(type.asSubclass(Throwable.class));
        }
        return List.copyOf(classes);
    }
}
