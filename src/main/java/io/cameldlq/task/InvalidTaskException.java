package io.cameldlq.task;

/**
 * Thrown by a task processor for a record that can never be processed, whatever the number of attempts.
 * The default {@code redelivery.not-retryable-exceptions} lists it, so such a record is dead-lettered after
 * its first attempt with reason {@code not-retryable}.
 */
public class InvalidTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTaskException(String message) {
        super(message);
    }
}
