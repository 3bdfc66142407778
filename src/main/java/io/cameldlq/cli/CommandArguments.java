package io.cameldlq.cli;

import org.apache.kafka.common.utils.Utils;

/**
 * Checks of option values that picocli's type conversion lets through. Each check returns the one-line
 * error for an invalid value, or null, so that a command prints it and exits with 2 as picocli does.
 */
final class CommandArguments {

    private CommandArguments() {
    }

    static String notNegative(String option, Number value) {
        return value != null && value.longValue() < 0 ? "Invalid " + option + " " + value + ": must be 0 or more"
                : null;
    }

    static String positive(String option, long value) {
        return value <= 0 ? "Invalid " + option + " " + value + ": must be more than 0" : null;
    }

    /** Checks a {@code --brokers} value as the Kafka clients parse {@code bootstrap.servers}. */
    static String brokers(String value) {
        if (value == null) {
            return null;
        }
        for (String address : value.split(",", -1)) {
            String trimmed = address.trim();
            if (Utils.getHost(trimmed) == null || Utils.getPort(trimmed) == null) {
                return "Invalid --brokers '" + value + "': expected HOST:PORT[,HOST:PORT...]";
            }
        }
        return null;
    }

    /** Returns the first error of {@code errors}, or null when every check passed. */
    static String firstError(String... errors) {
        for (String error : errors) {
            if (error != null) {
                return error;
            }
        }
        return null;
    }
}
