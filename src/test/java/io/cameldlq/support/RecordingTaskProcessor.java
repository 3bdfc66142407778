package io.cameldlq.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.cameldlq.task.ReferenceTaskProcessor;

/** The reference task processor, recording every attempt with its value and time. */
public final class RecordingTaskProcessor implements Processor {

    /** One call of the processor. */
    public record Attempt(byte[] value, long nanoTime) {
    }

    private final ReferenceTaskProcessor delegate = new ReferenceTaskProcessor();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    @Override
    public void process(Exchange exchange) throws Exception {
        attempts.add(new Attempt(exchange.getMessage().getBody(byte[].class), System.nanoTime()));
        delegate.process(exchange);
    }

    /** Returns the attempts whose value equals {@code value}, in call order. */
    public List<Attempt> attemptsOf(byte[] value) {
        return attempts.stream().filter(a -> java.util.Arrays.equals(a.value(), value)).toList();
    }
}
