package io.cameldlq.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wait outside camel-kafka, where it sleeps; the polling wait is covered by the integration tests. */
class ConsumerKeepingRedeliveryDelayTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void waitLastsWholeDelay() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        long start = System.nanoTime();

        boolean completed = ConsumerKeepingRedeliveryDelay.waitKeepingConsumer(exchange, 300, () -> false);

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(completed);
        assertTrue(elapsedMs >= 300, "waited only " + elapsedMs + " ms");
    }

    @Test
    void stopRequestEndsWaitEarly() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        AtomicInteger checks = new AtomicInteger();
        long start = System.nanoTime();

        boolean completed = ConsumerKeepingRedeliveryDelay.waitKeepingConsumer(exchange, 60_000,
                () -> checks.incrementAndGet() > 2);

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(completed);
        assertTrue(elapsedMs < 10_000, "stopped only after " + elapsedMs + " ms");
    }

    @Test
    void noDelayReturnsAtOnce() throws Exception {
        assertTrue(ConsumerKeepingRedeliveryDelay.waitKeepingConsumer(new DefaultExchange(context), 0, () -> true));
    }
}
