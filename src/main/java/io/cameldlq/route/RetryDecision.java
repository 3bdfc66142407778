package io.cameldlq.route;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.FailedAttemptRecorder;

/**
 * The dead-letter channel's {@code retryWhile}: retry while attempts are left and the failure is not of a
 * class that {@code redelivery.not-retryable-exceptions} lists.
 */
public class RetryDecision extends ExpressionAdapter {

    private final RetryPolicy policy;

    public RetryDecision(RetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Object evaluate(Exchange exchange) {
        int attempts = exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, 1, Integer.class);
        return attempts < policy.maximumAttempts() && !policy.isNotRetryable(FailedAttemptRecorder.failureOf(exchange));
    }
}
