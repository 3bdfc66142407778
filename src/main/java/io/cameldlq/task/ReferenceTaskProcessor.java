package io.cameldlq.task;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.deadletter.log.Utf8;

/**
 * Stands in for the user's task logic. A record whose value is exactly {@code fail} (UTF-8) fails with
 * {@link TaskFailedException}, which is retried. A record without a value (null or empty) or whose value
 * is not valid UTF-8 fails with {@link InvalidTaskException}, which is not retried by default. Every
 * other record is processed.
 *
 * <p>Replace it by binding another {@link Processor} and naming it in {@code task-processing.processor}.
 * The processor receives the record value as {@code byte[]} (null for a tombstone) and signals a failure
 * by throwing; the error policy then retries and dead-letters the record.
 */
public class ReferenceTaskProcessor implements Processor {

    /** The value that makes the reference processor fail. */
    public static final byte[] FAILING_VALUE = "fail".getBytes(StandardCharsets.UTF_8);

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceTaskProcessor.class);

    @Override
    public void process(Exchange exchange) {
        byte[] value = exchange.getMessage().getBody(byte[].class);
        if (value == null || value.length == 0) {
            throw new InvalidTaskException("Task has no value");
        }
        if (!Utf8.isValid(value)) {
            throw new InvalidTaskException("Task value is not valid UTF-8");
        }
        if (Arrays.equals(value, FAILING_VALUE)) {
            throw new TaskFailedException("Task value 'fail' is the reference processing failure");
        }
        LOG.debug("Processed task of {} bytes", value.length);
    }
}
