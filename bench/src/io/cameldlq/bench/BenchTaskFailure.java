package io.cameldlq.bench;

/** The failure of a record that the benchmark marked to fail; retryable under the default policy. */
public class BenchTaskFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BenchTaskFailure(String message) {
        super(message);
    }
}
