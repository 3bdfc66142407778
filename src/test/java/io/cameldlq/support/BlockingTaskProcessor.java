package io.cameldlq.support;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

import io.cameldlq.task.ReferenceTaskProcessor;

/**
 * The reference task processor, except that a record whose value is {@code block} blocks the consumer
 * thread until the process is killed. Loaded by name in application processes started by the tests, to
 * hold the pipeline between two steps, e.g. after a dead-letter publish and before the offset commit.
 */
public class BlockingTaskProcessor extends ReferenceTaskProcessor {

    @Override
    public void process(Exchange exchange) {
        byte[] value = exchange.getMessage().getBody(byte[].class);
        if (value != null && "block".equals(new String(value, StandardCharsets.UTF_8))) {
            System.out.println("BLOCKING on record " + exchange.getMessage().getHeader(
                    org.apache.camel.component.kafka.KafkaConstants.OFFSET));
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        super.process(exchange);
    }
}
