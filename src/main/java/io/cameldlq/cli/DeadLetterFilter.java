package io.cameldlq.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.Diagnostics;
import picocli.CommandLine.Option;

/** The dead-letter filters that {@code dead-letters} and {@code redrive} share, as picocli options. */
final class DeadLetterFilter {

    @Option(names = "--from", paramLabel = "TIME",
            description = "Only dead letters whose last failure is at or after TIME (ISO-8601, e.g. 2026-12-04T10:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only dead letters whose last failure is before TIME.")
    String to;

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Only dead letters with this key (UTF-8).")
    String key;

    @Option(names = "--exception", paramLabel = "CLASS",
            description = "Only dead letters whose exception or root cause class is CLASS (full or simple name).")
    String exception;

    @Option(names = "--reason", paramLabel = "REASON",
            description = "Only dead letters with this reason: " + DeadLetterHeaders.REASON_RETRIES_EXHAUSTED + " or "
                    + DeadLetterHeaders.REASON_NOT_RETRYABLE + ".")
    String reason;

    @Option(names = "--partition", paramLabel = "N", description = "Only dead letters from original partition N.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "N", description = "Only dead letters from original offset N.")
    Long offset;

    private Instant fromTime;
    private Instant toTime;

    /**
     * Checks the options and parses the time options.
     *
     * @return an error message for an invalid option, or null
     */
    String validate() {
        String invalid = CommandArguments.firstError(
                CommandArguments.notNegative("--partition", partition),
                CommandArguments.notNegative("--offset", offset),
                reasonError());
        if (invalid != null) {
            return invalid;
        }
        try {
            fromTime = from == null ? null : Instant.parse(from);
            toTime = to == null ? null : Instant.parse(to);
            return null;
        } catch (DateTimeParseException e) {
            return "Invalid time '" + e.getParsedString() + "': expected ISO-8601 UTC, e.g. 2026-12-04T10:00:00Z";
        }
    }

    boolean matches(ConsumerRecord<byte[], byte[]> record, Diagnostics diagnostics) {
        Instant failed = diagnostics.lastFailure() != null ? diagnostics.lastFailure()
                : Instant.ofEpochMilli(record.timestamp());
        return (fromTime == null || !failed.isBefore(fromTime))
                && (toTime == null || failed.isBefore(toTime))
                && (key == null || record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8)))
                && (exception == null || classMatches(diagnostics.exceptionClass())
                        || classMatches(diagnostics.rootCauseClass()))
                && (reason == null || reason.equals(diagnostics.reason()))
                && (partition == null || partition.equals(diagnostics.partition()))
                && (offset == null || offset.equals(diagnostics.offset()));
    }

    /** Returns the options as text, so that two runs with the same filters can be recognised. */
    String describe() {
        return String.join("|", String.valueOf(from), String.valueOf(to), String.valueOf(key),
                String.valueOf(exception), String.valueOf(reason), String.valueOf(partition), String.valueOf(offset));
    }

    private String reasonError() {
        if (reason == null || reason.equals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED)
                || reason.equals(DeadLetterHeaders.REASON_NOT_RETRYABLE)) {
            return null;
        }
        return "Invalid --reason '" + reason + "': expected " + DeadLetterHeaders.REASON_RETRIES_EXHAUSTED + " or "
                + DeadLetterHeaders.REASON_NOT_RETRYABLE;
    }

    private boolean classMatches(String className) {
        return className != null && (className.equals(exception) || className.endsWith("." + exception));
    }
}
