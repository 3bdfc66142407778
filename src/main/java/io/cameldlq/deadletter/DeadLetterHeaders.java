package io.cameldlq.deadletter;

/**
 * Names of the headers that camel-dlq adds to a dead-letter record. Values are UTF-8 text, so kcat's
 * {@code %h} and Kafka UIs show them as they are.
 */
public final class DeadLetterHeaders {

    /** Prefix shared by every diagnostic header; a header with this prefix is replaced, never duplicated. */
    public static final String PREFIX = "dlq-";

    /** Topic the failed record was consumed from. */
    public static final String ORIGINAL_TOPIC = PREFIX + "original-topic";
    /** Partition the failed record was consumed from, decimal. */
    public static final String ORIGINAL_PARTITION = PREFIX + "original-partition";
    /** Offset of the failed record in its partition, decimal. */
    public static final String ORIGINAL_OFFSET = PREFIX + "original-offset";
    /** Timestamp of the failed record, epoch milliseconds, decimal. */
    public static final String ORIGINAL_TIMESTAMP = PREFIX + "original-timestamp";
    /** Fully qualified class name of the exception of the last attempt. */
    public static final String EXCEPTION_CLASS = PREFIX + "exception-class";
    /** Message of the exception of the last attempt. */
    public static final String EXCEPTION_MESSAGE = PREFIX + "exception-message";
    /** Timestamp type of the failed record: {@code CreateTime}, {@code LogAppendTime} or {@code NoTimestampType}. */
    public static final String ORIGINAL_TIMESTAMP_TYPE = PREFIX + "original-timestamp-type";
    /** Consumer group that failed to process the record. */
    public static final String CONSUMER_GROUP = PREFIX + "consumer-group";
    /** {@code application.instance-id} of the application instance that dead-lettered the record. */
    public static final String INSTANCE_ID = PREFIX + "instance-id";
    /** Fully qualified class name of the innermost cause of the last attempt's exception. */
    public static final String EXCEPTION_ROOT_CAUSE_CLASS = PREFIX + "exception-root-cause-class";
    /** Stack trace of the last attempt's exception, at most {@code dead-letter.stack-trace-max-bytes}. */
    public static final String EXCEPTION_STACK_TRACE = PREFIX + "exception-stacktrace";
    /** Number of processing attempts made before dead-lettering, decimal. */
    public static final String ATTEMPTS = PREFIX + "attempts";
    /** Time of the first failed attempt, ISO-8601 UTC. */
    public static final String FIRST_FAILURE_TIME = PREFIX + "first-failure-time";
    /** Time of the last failed attempt, ISO-8601 UTC. */
    public static final String LAST_FAILURE_TIME = PREFIX + "last-failure-time";
    /** Why the record was dead-lettered: {@value #REASON_RETRIES_EXHAUSTED} or {@value #REASON_NOT_RETRYABLE}. */
    public static final String REASON = PREFIX + "reason";

    /**
     * Number of times the {@code redrive} command sent this record back, decimal. Unlike the diagnostic
     * headers it is kept when the record is dead-lettered again, so the count survives each round.
     */
    public static final String REDRIVE_COUNT = PREFIX + "redrive-count";

    /** Reason: every attempt of the retry policy failed. */
    public static final String REASON_RETRIES_EXHAUSTED = "retries-exhausted";
    /** Reason: the failure's exception is listed in {@code redelivery.not-retryable-exceptions}. */
    public static final String REASON_NOT_RETRYABLE = "not-retryable";

    /**
     * Carries the original record's headers, encoded by {@link OriginalHeaders}, from the route to
     * {@link OriginalHeadersInterceptor}, which restores them and removes this header before the send.
     * It never reaches the broker.
     */
    public static final String ORIGINAL_HEADERS_CARRIER = PREFIX + "internal-original-headers";

    /** Carries a consumed record's timestamp type from {@link TimestampTypeInterceptor} to the preparer. */
    public static final String TIMESTAMP_TYPE_CARRIER = PREFIX + "internal-timestamp-type";

    private DeadLetterHeaders() {
    }

    /**
     * Returns whether {@code name} is one of the headers that camel-dlq writes itself, in any
     * {@link HeaderDialect}: such a header of an original record is replaced, not kept.
     */
    public static boolean isReserved(String name) {
        return HeaderDialect.isDiagnostic(name) && !name.equals(REDRIVE_COUNT);
    }
}
