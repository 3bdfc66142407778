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
    /** Number of processing attempts made before dead-lettering, decimal. */
    public static final String ATTEMPTS = PREFIX + "attempts";

    /**
     * Carries the original record's headers, encoded by {@link OriginalHeaders}, from the route to
     * {@link OriginalHeadersInterceptor}, which restores them and removes this header before the send.
     * It never reaches the broker.
     */
    static final String ORIGINAL_HEADERS_CARRIER = PREFIX + "internal-original-headers";

    private DeadLetterHeaders() {
    }

    /** Returns whether {@code name} is one of the headers that camel-dlq writes itself. */
    public static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }
}
