package io.cameldlq.cli;

/** Turns exceptions, mostly Kafka's, into parts of the commands' one-line error messages. */
final class FailureMessages {

    private FailureMessages() {
    }

    /**
     * Returns the message of {@code failure} without its final period, for use inside a sentence of the
     * commands, because Kafka's messages often end with one. A failure without a message gives its class name.
     */
    static String clause(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        String trimmed = message.strip();
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
