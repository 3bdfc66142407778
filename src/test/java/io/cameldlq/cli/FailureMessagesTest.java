package io.cameldlq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureMessagesTest {

    @Test
    void clauseDropsFinalPeriod() {
        TimeoutException failure = new TimeoutException("Topic orders not present in metadata after 15000 ms.");

        assertEquals("Topic orders not present in metadata after 15000 ms", FailureMessages.clause(failure));
    }

    @Test
    void clauseKeepsMessageWithoutPeriod() {
        TimeoutException failure = new TimeoutException("Timeout expired while fetching topic metadata");

        assertEquals("Timeout expired while fetching topic metadata", FailureMessages.clause(failure));
    }

    @Test
    void clauseNamesClassWithoutMessage() {
        assertEquals("TimeoutException", FailureMessages.clause(new TimeoutException((String) null)));
    }
}
