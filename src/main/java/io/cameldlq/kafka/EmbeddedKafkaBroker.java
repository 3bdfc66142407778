package io.cameldlq.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one node), running in this JVM with
 * Kafka's own server classes. Used by the dev profile when no broker is configured, and by the tests.
 *
 * <p>The client listener binds to loopback only. The data directory is formatted on first use and kept,
 * so records survive a restart that reuses it with the same port.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "localhost";

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDirectory;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path dataDirectory) {
        this.server = server;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts a broker whose client listener is {@code localhost:port}; port 0 picks a free port.
     *
     * @param overrides broker settings that replace the defaults, e.g. {@code auto.create.topics.enable};
     *                  in values, {@code {port}} and {@code {controller.port}} stand for the ports in use
     * @throws IllegalStateException if the port is in use or the broker fails to start
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDirectory, Map<String, String> overrides) {
        int clientPort = port == 0 ? freePort() : requireFreePort(port);
        int controllerPort = freePort();
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded broker's data directory " + dataDirectory, e);
        }

        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDirectory.toAbsolutePath().toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        String clientPortText = String.valueOf(clientPort);
        String controllerPortText = String.valueOf(controllerPort);
        overrides.forEach((key, value) -> properties.put(key,
                value.replace("{port}", clientPortText).replace("{controller.port}", controllerPortText)));

        KafkaConfig config = KafkaConfig.fromProps(properties, false);
        if (!Files.exists(dataDirectory.resolve("meta.properties"))) {
            format(config, dataDirectory);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IllegalStateException("Embedded Kafka broker failed to start on " + HOST + ":" + clientPort, e);
        }
        LOG.info("Embedded Kafka broker started at {}:{} (data in {})", HOST, clientPort, dataDirectory);
        return new EmbeddedKafkaBroker(server, clientPort, dataDirectory);
    }

    /** Returns the bootstrap address clients connect to, {@code localhost:port}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        LOG.info("Stopping embedded Kafka broker at {}", bootstrapServers());
        server.shutdown();
        server.awaitShutdown();
    }

    private static void format(KafkaConfig config, Path dataDirectory) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDirectory.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the embedded broker's data directory " + dataDirectory, e);
        }
    }

    private static int requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As Kafka binds: connections in TIME_WAIT from an earlier broker on this port do not block it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " is already in use, so the embedded Kafka broker cannot "
                    + "start. Stop the process that uses it, set embedded-broker.port to a free port, or set "
                    + "camel.component.kafka.brokers to use a running broker.", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port for the embedded Kafka broker", e);
        }
    }
}
