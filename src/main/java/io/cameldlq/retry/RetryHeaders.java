package io.cameldlq.retry;

import io.cameldlq.deadletter.DeadLetterHeaders;

/**
 * Names of the bookkeeping headers of a record in the retry topic. Values are UTF-8 text, times in epoch
 * milliseconds. They start with {@value DeadLetterHeaders#PREFIX}, so they are reserved names that never
 * reach a dead letter, and the retry route removes them before the task processor receives the record.
 */
public final class RetryHeaders {

    /** Prefix shared by every bookkeeping header. */
    public static final String PREFIX = DeadLetterHeaders.PREFIX + "retry-";

    /** Failed attempts so far, decimal. */
    public static final String ATTEMPTS = PREFIX + "attempts";
    /** Earliest time of the next attempt, epoch milliseconds. */
    public static final String DUE_TIME = PREFIX + "due-time";
    /** Time of the first failed attempt, epoch milliseconds. */
    public static final String FIRST_FAILURE_TIME = PREFIX + "first-failure-time";
    /** Time of the last failed attempt, epoch milliseconds. */
    public static final String LAST_FAILURE_TIME = PREFIX + "last-failure-time";
    /** Topic of the source record, the one consumed by the task-processing route. */
    public static final String SOURCE_TOPIC = PREFIX + "source-topic";
    /** Partition of the source record, decimal. */
    public static final String SOURCE_PARTITION = PREFIX + "source-partition";
    /** Offset of the source record, decimal. */
    public static final String SOURCE_OFFSET = PREFIX + "source-offset";
    /** Timestamp of the source record, epoch milliseconds. */
    public static final String SOURCE_TIMESTAMP = PREFIX + "source-timestamp";
    /** Timestamp type of the source record, e.g. {@code CreateTime}. */
    public static final String SOURCE_TIMESTAMP_TYPE = PREFIX + "source-timestamp-type";
    /** Class of the last attempt's exception. */
    public static final String EXCEPTION_CLASS = PREFIX + "exception-class";
    /** Message of the last attempt's exception. */
    public static final String EXCEPTION_MESSAGE = PREFIX + "exception-message";

    private RetryHeaders() {
    }

    /** Returns whether {@code name} is a bookkeeping header. */
    public static boolean isBookkeeping(String name) {
        return name.startsWith(PREFIX);
    }

    /** Returns whether {@code name} is a bookkeeping header among Camel's message headers, which ignore case. */
    public static boolean isBookkeepingCamelHeader(String name) {
        return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
