package io.cameldlq.retry;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.OriginalHeadersInterceptor;

/**
 * Producer interceptor of the retry producer. Like {@link OriginalHeadersInterceptor} it gives the retry
 * record the source record's headers exactly, but it keeps diagnostic headers that the source record
 * carried (for example of a redriven dead letter), so that the task processor receives them on every attempt.
 * Only the bookkeeping headers and camel-dlq's internal carriers are replaced.
 */
public class RetryRecordHeadersInterceptor extends OriginalHeadersInterceptor {

    private static final String INTERNAL_PREFIX = DeadLetterHeaders.PREFIX + "internal-";

    @Override
    protected boolean keepsOriginal(String name) {
        return !RetryHeaders.isBookkeeping(name) && !name.startsWith(INTERNAL_PREFIX);
    }
}
