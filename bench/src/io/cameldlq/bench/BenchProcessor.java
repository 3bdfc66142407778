package io.cameldlq.bench;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The task processor that camel-dlq runs in the benchmark, bound with
 * {@code camel.beans.benchProcessor=#class:io.cameldlq.bench.BenchProcessor} and selected with
 * {@code task-processing.processor=benchProcessor}. It hands the record to {@link BenchTask}, as the
 * baseline consumer does.
 */
public class BenchProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        byte[] value = exchange.getMessage().getBody(byte[].class);
        Long timestamp = exchange.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class);
        BenchTask.instance().process(value, timestamp == null ? -1 : timestamp);
    }
}
