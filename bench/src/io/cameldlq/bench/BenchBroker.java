package io.cameldlq.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.cameldlq.kafka.EmbeddedKafkaBroker;

/**
 * Runs camel-dlq's single-node KRaft broker in a process of its own for the benchmark, on loopback.
 * Usage: {@code BenchBroker PORT DATA_DIRECTORY}, port 0 for a free port. Prints
 * {@value #READY_PREFIX}{@code HOST:PORT} once it accepts clients, and stops on SIGTERM.
 */
public final class BenchBroker {

    public static final String READY_PREFIX = "BENCH-BROKER-READY ";

    private BenchBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("Usage: BenchBroker PORT DATA_DIRECTORY");
            System.exit(2);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Integer.parseInt(args[0]), Path.of(args[1]), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "bench-broker-shutdown"));
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
